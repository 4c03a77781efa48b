import { readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { Dispatcher } from "undici";
import {
  addRuntimeCommand,
  nearestManifest,
  packageManagerOf,
  runCommand,
  missingAtRunTime,
  RUNTIME_PACKAGE,
  runtimeRange,
} from "../config/project.js";
import { CONFIG_DEFAULTS } from "../config/defaults.js";
import { LINKED_ACCOUNT_PLACEHOLDER } from "../config/types.js";
import { credentialsFrom, type CredentialEnv } from "../config/credentials.js";
import { codegenError, CodegenError, type Diagnostic } from "../util/diagnostics.js";
import { configSchemaPath } from "../util/paths.js";
import { writeFileAtomic } from "../write/atomic-file.js";

/** Options of `init`. */
export interface InitOptions {
  cwd?: string;
  /** Where to write the config; default `refold.codegen.json` in `cwd`. */
  config?: string;
  /** Overwrite an existing config (and an existing `generate` script). */
  force?: boolean;
  /** Add `"generate": "refold-codegen generate"` to the package.json beside the config. */
  addScript?: boolean;
  /** The linked account used to read schemas; default REFOLD_LINKED_ACCOUNT_ID, else (API key) the org's first. */
  linkedAccountId?: string;
  /**
   * When the project does not depend on undici (the generated client's runtime dependency): true (default)
   * adds it with the project's package manager; false only writes it into package.json, to install later.
   */
  install?: boolean;
  env?: CredentialEnv & {
    REFOLD_BASE_URL?: string | undefined;
    REFOLD_LINKED_ACCOUNT_ID?: string | undefined;
    npm_config_user_agent?: string | undefined;
  };
  dispatcher?: Dispatcher;
}

/** What `init` wrote. */
export interface InitResult {
  configPath: string;
  apps: string[];
  /** Where the apps came from: the org's app list, or a placeholder to edit. */
  source: "api" | "placeholder";
  /** The linked account written, and where it came from (a placeholder must be edited before pulling). */
  linkedAccountId: string;
  linkedAccountSource: "option" | "env" | "api" | "placeholder";
  /**
   * undici, the generated client's runtime dependency: already a dependency, added (installed, or written
   * into package.json with `install: false`), or not added (no package.json, or the install failed: see the
   * diagnostics for the command to run).
   */
  runtimeDependency: "present" | "installed" | "written" | "missing";
  /** True when the package.json got a `generate` script. */
  scriptAdded: boolean;
  diagnostics: Diagnostic[];
}

const PLACEHOLDER_APPS = ["hubspot"];

/**
 * Writes a starter refold.codegen.json: its `apps` from the org's enabled apps (connected ones first) when
 * credentials are in the environment, else a placeholder. Never overwrites without `force`.
 */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const configPath = resolve(cwd, options.config ?? CONFIG_DEFAULTS.configFile);
  if (!options.force && (await exists(configPath))) {
    const message = `${configPath} already exists`;
    throw codegenError(message, "exists", "pass --force to overwrite it");
  }
  const diagnostics: Diagnostic[] = [];
  const baseUrl = env.REFOLD_BASE_URL?.trim() || CONFIG_DEFAULTS.baseUrl;
  const dispatcher = options.dispatcher ? { dispatcher: options.dispatcher } : {};
  const account = await chooseAccount(options, env, baseUrl, dispatcher, diagnostics);
  const { apps, source } = await chooseApps(env, baseUrl, account, dispatcher, diagnostics);
  if (account.source === "placeholder")
    diagnostics.push({
      severity: "warning",
      code: "placeholder-account",
      message: `no linked account known: wrote the placeholder "${LINKED_ACCOUNT_PLACEHOLDER}" as linkedAccountId`,
      hint: "set linkedAccountId in the config (or REFOLD_LINKED_ACCOUNT_ID) to one of your org's linked accounts before `generate`",
    });
  const config = {
    $schema: schemaReference(dirname(configPath)),
    baseUrl,
    linkedAccountId: account.id,
    apps,
    output: "generated",
    lockfile: "refold.lock.json",
  };
  await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const scriptAdded =
    options.addScript === true && (await addScript(dirname(configPath), options.force === true, diagnostics));
  const runtimeDependency = await ensureRuntimeDependency(
    dirname(configPath),
    options.install !== false,
    env,
    diagnostics,
  );
  return {
    configPath,
    apps,
    source,
    linkedAccountId: account.id,
    linkedAccountSource: account.source,
    runtimeDependency,
    scriptAdded,
    diagnostics,
  };
}

/** The config's apps: the org's enabled ones when the credentials can list them, else a placeholder. */
async function chooseApps(
  env: NonNullable<InitOptions["env"]>,
  baseUrl: string,
  account: { id: string; source: InitResult["linkedAccountSource"] },
  dispatcher: { dispatcher?: Dispatcher },
  diagnostics: Diagnostic[],
): Promise<{ apps: string[]; source: InitResult["source"] }> {
  const apiKey = env.REFOLD_API_KEY?.trim();
  // With an API key the app list is asked for one linked account; a session token is scoped to one already.
  if ((apiKey && account.source !== "placeholder") || (!apiKey && env.REFOLD_SESSION_TOKEN?.trim())) {
    const { listApplications } = await import("../source/applications.js");
    const auth = credentialsFrom(env, "init");
    const found = await listApplications({ baseUrl, auth, linkedAccountId: account.id, ...dispatcher });
    if (found.length > 0) return { apps: found.map((app) => app.slug), source: "api" };
    diagnostics.push({
      severity: "warning",
      code: "no-apps",
      message: "the org has no apps enabled; wrote a placeholder app",
    });
  }
  return { apps: PLACEHOLDER_APPS, source: "placeholder" };
}

/** The linked account to read schemas with: the option, the environment, the org's first (with an API key). */
async function chooseAccount(
  options: InitOptions,
  env: NonNullable<InitOptions["env"]>,
  baseUrl: string,
  dispatcher: { dispatcher?: Dispatcher },
  diagnostics: Diagnostic[],
): Promise<{ id: string; source: InitResult["linkedAccountSource"] }> {
  const given = options.linkedAccountId?.trim();
  if (given) return { id: given, source: "option" };
  const fromEnv = env.REFOLD_LINKED_ACCOUNT_ID?.trim();
  if (fromEnv) return { id: fromEnv, source: "env" };
  const apiKey = env.REFOLD_API_KEY?.trim();
  if (apiKey) {
    const { firstLinkedAccount } = await import("../source/linked-accounts.js");
    try {
      const first = await firstLinkedAccount({ baseUrl, auth: { apiKey }, ...dispatcher });
      if (first !== undefined) return { id: first, source: "api" };
    } catch (error) {
      // A refused key is the user's to fix now; any other failure only costs the suggestion.
      const refused =
        error instanceof CodegenError && error.diagnostics.some((d) => d.status === 401 || d.status === 403);
      if (refused || !(error instanceof CodegenError)) throw error;
      diagnostics.push({
        ...(error.diagnostics[0] ?? { code: "no-accounts", message: error.message }),
        severity: "warning",
      });
    }
  }
  return { id: LINKED_ACCOUNT_PLACEHOLDER, source: "placeholder" };
}

/**
 * Makes undici a dependency of the package that will own the output (the nearest package.json): with the
 * project's package manager, or (`install` false) by writing it into package.json for a later install.
 */
async function ensureRuntimeDependency(
  dir: string,
  install: boolean,
  env: NonNullable<InitOptions["env"]>,
  diagnostics: Diagnostic[],
): Promise<InitResult["runtimeDependency"]> {
  const owner = nearestManifest(dir);
  const spec = `${RUNTIME_PACKAGE}@${runtimeRange()}`;
  if (owner === undefined) {
    diagnostics.push({
      severity: "warning",
      code: "no-package-json",
      message: `no package.json in ${dir} or above: the generated client needs ${RUNTIME_PACKAGE} at run time`,
      hint: `create your package (npm init), then add ${spec} to its dependencies`,
    });
    return "missing";
  }
  if (missingAtRunTime(owner.manifest, [RUNTIME_PACKAGE]).length === 0) return "present";
  const packageDir = dirname(owner.path);
  if (!install) {
    const manifest = JSON.parse(await readFile(owner.path, "utf8")) as { dependencies?: Record<string, string> };
    manifest.dependencies = sortedKeys({ ...manifest.dependencies, [RUNTIME_PACKAGE]: runtimeRange() });
    await writeFile(owner.path, `${JSON.stringify(manifest, null, 2)}\n`);
    return "written";
  }
  const command = addRuntimeCommand(packageManagerOf(packageDir, env));
  const code = await runCommand(command, packageDir).catch(() => -1);
  if (code === 0) return "installed";
  diagnostics.push({
    severity: "warning",
    code: "install-failed",
    message: `\`${command.join(" ")}\` failed in ${packageDir}: the generated client needs ${RUNTIME_PACKAGE} at run time`,
    hint: `run it yourself: ${command.join(" ")}`,
  });
  return "missing";
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The config schema's path relative to the config's folder, as editors resolve `$schema`. */
function schemaReference(from: string): string {
  const path = relative(from, configSchemaPath()).split(sep).join("/");
  return path.startsWith("../") ? path : `./${path}`;
}

async function addScript(dir: string, force: boolean, diagnostics: Diagnostic[]): Promise<boolean> {
  const path = resolve(dir, "package.json");
  let manifest: { scripts?: Record<string, string> } & Record<string, unknown>;
  try {
    manifest = JSON.parse(await readFile(path, "utf8")) as typeof manifest;
  } catch {
    diagnostics.push({
      severity: "warning",
      code: "no-package-json",
      message: `no readable package.json at ${path}; no script added`,
    });
    return false;
  }
  const script = "refold-codegen generate";
  const existing = manifest.scripts?.["generate"];
  if (existing === script) return false;
  if (existing !== undefined && !force) {
    diagnostics.push({
      severity: "warning",
      code: "script-exists",
      message: `package.json already has a "generate" script ("${existing}"); left as it is`,
      hint: "pass --force to replace it",
    });
    return false;
  }
  manifest.scripts = { ...manifest.scripts, generate: script };
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return true;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

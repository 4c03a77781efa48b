import { readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { Dispatcher } from "undici";
import { DEFAULT_BASE_URL } from "./config/types.js";
import { credentialsFrom, type CredentialEnv } from "./credentials.js";
import { CodegenError, ExitCode, type Diagnostic } from "./diagnostics.js";
import { configSchemaPath } from "./paths.js";
import { writeFileAtomic } from "./write/atomic-file.js";

/** Options of `init`. */
export interface InitOptions {
  cwd?: string;
  /** Where to write the config; default `refold.codegen.json` in `cwd`. */
  config?: string;
  /** Overwrite an existing config (and an existing `generate` script). */
  force?: boolean;
  /** Add `"generate": "refold-codegen generate"` to the package.json beside the config. */
  addScript?: boolean;
  env?: CredentialEnv & { REFOLD_BASE_URL?: string | undefined; REFOLD_LINKED_ACCOUNT_ID?: string | undefined };
  dispatcher?: Dispatcher;
}

/** What `init` wrote. */
export interface InitResult {
  configPath: string;
  apps: string[];
  /** Where the apps came from: the org's app list, or a placeholder to edit. */
  source: "api" | "placeholder";
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
  const configPath = resolve(cwd, options.config ?? "refold.codegen.json");
  if (!options.force && (await exists(configPath))) {
    const message = `${configPath} already exists`;
    throw new CodegenError(message, ExitCode.usage, [
      { severity: "error", code: "exists", message, hint: "pass --force to overwrite it" },
    ]);
  }
  const diagnostics: Diagnostic[] = [];
  const baseUrl = env.REFOLD_BASE_URL?.trim() || DEFAULT_BASE_URL;
  const linkedAccountId = env.REFOLD_LINKED_ACCOUNT_ID?.trim() || undefined;
  const haveKey = Boolean(env.REFOLD_API_KEY?.trim() || env.REFOLD_SESSION_TOKEN?.trim());
  let apps = PLACEHOLDER_APPS;
  let source: InitResult["source"] = "placeholder";
  if (haveKey) {
    const { listApplications } = await import("./source/applications.js");
    const found = await listApplications({
      baseUrl,
      auth: credentialsFrom(env, "init"),
      ...(linkedAccountId !== undefined ? { linkedAccountId } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    if (found.length > 0) [apps, source] = [found.map((app) => app.slug), "api"];
    else
      diagnostics.push({
        severity: "warning",
        code: "no-apps",
        message: "the org has no apps enabled; wrote a placeholder app",
      });
  }
  const config = {
    $schema: schemaReference(dirname(configPath)),
    baseUrl,
    ...(linkedAccountId !== undefined ? { linkedAccountId } : {}),
    apps,
    output: "generated",
    lockfile: "refold.lock.json",
  };
  await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const scriptAdded =
    options.addScript === true && (await addScript(dirname(configPath), options.force === true, diagnostics));
  return { configPath, apps, source, scriptAdded, diagnostics };
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

import { resolve } from "node:path";
import type { Dispatcher } from "undici";
import { loadConfig } from "./config/load.js";
import type { ResolvedConfig } from "./config/types.js";
import { credentialsFrom, type CredentialEnv } from "./credentials.js";
import { CodegenError, ExitCode, type Diagnostic } from "./diagnostics.js";
import { emitFiles } from "./emit/files.js";
import { buildLock, lockApp } from "./lock/build.js";
import { compareLocks, type LockChange } from "./lock/compare.js";
import { coverageGaps, type CoverageGap } from "./lock/covers.js";
import { readLock } from "./lock/read.js";
import type { LockApp, LockFile } from "./lock/types.js";
import { writeLock } from "./lock/write.js";
import { buildModel } from "./model/build.js";
import type { ProgressEvent } from "./source/options.js";
import { pullApps } from "./source/pull.js";
import { setOwn } from "./util/stable-json.js";
import { formatFiles } from "./write/format.js";
import { diffOutput, isClean, writeOutput, type OutputDiff } from "./write/output.js";

export { CodegenError, ExitCode } from "./diagnostics.js";
export type { Diagnostic } from "./diagnostics.js";
export type { LockChange } from "./lock/compare.js";
export type { OutputDiff } from "./write/output.js";

/** Options shared by every programmatic command. */
export interface CommonOptions {
  /** Path of refold.codegen.json; default `refold.codegen.json` in `cwd`. */
  config?: string;
  cwd?: string;
  /** Where REFOLD_API_KEY, REFOLD_SESSION_TOKEN, REFOLD_BASE_URL and REFOLD_LINKED_ACCOUNT_ID are read; default process.env. */
  env?: CredentialEnv & { REFOLD_BASE_URL?: string | undefined; REFOLD_LINKED_ACCOUNT_ID?: string | undefined };
  /** An undici dispatcher for API calls (tests, proxies). */
  dispatcher?: Dispatcher;
  onProgress?: (event: ProgressEvent) => void;
}

/** Options of `generate`. */
export interface GenerateOptions extends CommonOptions {
  /** Pull everything again from the API first. */
  refresh?: boolean;
  /** Never touch the network; fail if the lock does not cover the config. */
  offline?: boolean;
  /** Write nothing; report whether the output is stale. */
  check?: boolean;
}

/** What `generate` did (or, with `check`, would do). */
export interface GenerateResult {
  outputDir: string;
  lockfilePath: string;
  /** Output files, relative to outputDir. */
  files: string[];
  /** How the output folder differed from the generated files before this run. */
  output: OutputDiff;
  /** True when the lock was pulled from the API in this run. */
  pulled: boolean;
  /** Changes between the previous lock and the pulled one. */
  lockChanges: LockChange[];
  /** Warnings noticed on the way (errors are thrown as CodegenError). */
  diagnostics: Diagnostic[];
}

/** Generates the clients: from the lock when it covers the config, else after pulling. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  const gaps = coverageGaps(previous, config);
  const mustPull = options.refresh === true || gaps.length > 0;
  if (mustPull && (options.offline === true || options.check === true)) {
    const message = `the lock file ${config.lockfilePath} does not cover the config:\n${gaps.map((gap) => `  - ${gap.message}`).join("\n")}`;
    throw new CodegenError(message, ExitCode.usage, [
      {
        severity: "error",
        code: "lock-stale",
        message,
        hint: "run `refold-codegen generate` (or `pull`) with REFOLD_API_KEY set, and commit the lock",
      },
    ]);
  }
  const lock = mustPull
    ? await pullLock(config, previous, options.refresh === true ? undefined : gaps, options)
    : (previous as LockFile);
  const { model, diagnostics } = buildModel(lock, config.apps);
  failOnErrors(diagnostics, mustPull ? ExitCode.network : ExitCode.usage, "cannot generate");
  const files = await formatFiles(await emitFiles(model));
  const output =
    options.check === true ? await diffOutput(config.outputDir, files) : await writeOutput(config.outputDir, files);
  if (mustPull && options.check !== true) await writeLock(config.lockfilePath, lock);
  return {
    outputDir: config.outputDir,
    lockfilePath: config.lockfilePath,
    files: [...files.keys()],
    output,
    pulled: mustPull,
    lockChanges: mustPull ? compareLocks(previous, lock) : [],
    diagnostics,
  };
}

/** What `pull` did. */
export interface PullResult {
  lockfilePath: string;
  lockChanges: LockChange[];
  diagnostics: Diagnostic[];
}

/** Updates the lock from the API for every configured app, without generating. */
export async function pull(options: CommonOptions = {}): Promise<PullResult> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  const lock = await pullLock(config, previous, undefined, options);
  const { diagnostics } = buildModel(lock, config.apps);
  failOnErrors(diagnostics, ExitCode.network, "the API's answers cannot be used");
  await writeLock(config.lockfilePath, lock);
  return { lockfilePath: config.lockfilePath, lockChanges: compareLocks(previous, lock), diagnostics };
}

/** Loads the config named by the options, relative to their `cwd`. */
export function loadProjectConfig(options: CommonOptions): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  return loadConfig(resolve(cwd, options.config ?? "refold.codegen.json"), options.env ?? process.env);
}

/**
 * Pulls the configured apps (all of them, or only those named in coverage gaps) and returns the new lock:
 * configured apps only, untouched apps kept as they were. Throws with every problem of the run; writes nothing.
 */
async function pullLock(
  config: ResolvedConfig,
  previous: LockFile | undefined,
  gaps: readonly CoverageGap[] | undefined,
  options: CommonOptions,
): Promise<LockFile> {
  const auth = credentialsFrom(options.env ?? process.env, "pulling schemas");
  const everything = gaps === undefined || gaps.some((gap) => gap.app === undefined);
  const stale = config.apps.filter((app) => everything || gaps.some((gap) => gap.app === app.slug));
  const result = await pullApps(
    stale.map((app) => ({
      slug: app.slug,
      ...(app.include ? { include: [...app.include] } : {}),
      ...(app.exclude ? { exclude: [...app.exclude] } : {}),
    })),
    {
      baseUrl: config.baseUrl,
      auth,
      ...(config.linkedAccountId !== undefined ? { linkedAccountId: config.linkedAccountId } : {}),
      concurrency: config.concurrency,
      rateLimit: config.rateLimit,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  failOnErrors(result.diagnostics, ExitCode.network, "the pull failed; the lock file and the output are unchanged");
  const apps: Record<string, LockApp> = {};
  for (const app of config.apps) {
    const pulled = result.apps[app.slug];
    const kept = previous !== undefined && Object.hasOwn(previous.apps, app.slug) ? previous.apps[app.slug] : undefined;
    const entry = pulled ? lockApp(pulled) : kept;
    if (entry) setOwn(apps, app.slug, entry);
  }
  return buildLock(apps);
}

function failOnErrors(diagnostics: readonly Diagnostic[], exitCode: number, summary: string): void {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new CodegenError(
      `${summary}: ${errors.length} problem${errors.length === 1 ? "" : "s"}`,
      exitCode,
      diagnostics,
    );
}

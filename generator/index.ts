import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { AppConfig, ResolvedConfig } from "./config/types.js";
import { credentialsFrom } from "./credentials.js";
import { CodegenError, ExitCode, type Diagnostic } from "./diagnostics.js";
import { diffLocks } from "./diff/classify.js";
import { appendSection, formatChangelog } from "./diff/format.js";
import type { DiffResult } from "./diff/types.js";
import { buildLock, LockRenderer } from "./lock/build.js";
import { coverageGaps, type CoverageGap } from "./lock/covers.js";
import { parseLock, readLock, readLockBytes } from "./lock/read.js";
import type { LockApp, LockFile } from "./lock/types.js";
import { writeLockText } from "./lock/write.js";
import { isStamped, runKey } from "./emit/cache.js";
import { buildModel } from "./model/build.js";
import { setOwn } from "./util/stable-json.js";
import { writeFileAtomic } from "./write/atomic-file.js";
import { renderOutput } from "./render.js";
import { StageTimer, type StageTiming } from "./timing.js";
import { loadProjectConfig, type CommonOptions } from "./options.js";
import { diffOutput, readOutput, writeOutput, type OutputDiff } from "./write/output.js";

export { CodegenError, ExitCode } from "./diagnostics.js";
export type { Diagnostic } from "./diagnostics.js";
export type { OutputDiff } from "./write/output.js";
export type { StageTiming } from "./timing.js";
export { loadProjectConfig, type CommonOptions } from "./options.js";
export { init, type InitOptions, type InitResult } from "./init.js";
export { list, type ListOptions, type ListedAction } from "./list.js";
export { diffLocks } from "./diff/classify.js";
export { CHANGE_KINDS, type Change, type ChangeKind, type DiffResult } from "./diff/types.js";

/** Options of `generate`. */
export interface GenerateOptions extends CommonOptions {
  /** Pull everything again from the API first. */
  refresh?: boolean;
  /** Never touch the network; fail if the lock does not cover the config. */
  offline?: boolean;
  /** Write nothing; report whether the output is stale. */
  check?: boolean;
  /** When the run pulled and something changed, append the classified changes to this markdown file (relative to `cwd`). */
  changelog?: string;
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
  /** The classified changes between the previous lock and the pulled one (empty when nothing was pulled). */
  diff: DiffResult;
  /** The changelog file the changes were appended to, when `changelog` was given and something changed. */
  changelogPath?: string;
  /** Warnings noticed on the way (errors are thrown as CodegenError). */
  diagnostics: Diagnostic[];
  /** Wall time of each stage, in order (`--verbose` prints them). */
  timings: StageTiming[];
}

/** Generates the clients: from the lock when it covers the config, else after pulling. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const timings = new StageTimer();
  const config = await loadProjectConfig(options);
  const lockBytes = await readLockBytes(config.lockfilePath);
  const keyOf = (bytes: Uint8Array) => runKey({ apps: config.apps, emit: config.emit }, bytes);
  const current = await readOutput(config.outputDir);
  if (
    options.refresh !== true &&
    options.check !== true &&
    lockBytes !== undefined &&
    isStamped(current, keyOf(lockBytes))
  ) {
    // Same generator, config and lock as the run that wrote this untouched output: nothing to do.
    timings.lap("unchanged");
    const clean = { changed: [], added: [], removed: [] };
    const files = [...current.keys()];
    const base = {
      outputDir: config.outputDir,
      lockfilePath: config.lockfilePath,
      files,
      output: clean,
      pulled: false,
    };
    return { ...base, diff: { changes: [], breaking: 0 }, diagnostics: [], timings: timings.stages };
  }
  const previous = lockBytes === undefined ? undefined : parseLock(lockBytes, config.lockfilePath);
  const changelog = options.check === true ? undefined : await openChangelog(options);
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
  timings.lap("config and lock");
  const pulled = mustPull
    ? await pullLock(config, previous, options.refresh === true ? undefined : gaps, options)
    : undefined;
  const lock = pulled?.lock ?? (previous as LockFile);
  if (mustPull) timings.lap("pull");
  const { model, diagnostics } = buildModel(lock, config.apps);
  failOnErrors(diagnostics, mustPull ? ExitCode.network : ExitCode.usage, "cannot generate");
  timings.lap("model");
  // Serialized once: the run key hashes these bytes, and the same bytes are written.
  const lockText = pulled?.text;
  const finalLockBytes = lockText !== undefined ? Buffer.from(lockText) : (lockBytes as Buffer);
  // --check renders cold, so it judges the output against what a fresh run writes.
  const previousOutput = options.check === true ? undefined : current;
  const files = await renderOutput(model, previousOutput, { emit: config.emit, runKey: keyOf(finalLockBytes) });
  timings.lap("render");
  const output =
    options.check === true ? diffOutput(current, files) : await writeOutput(config.outputDir, files, current);
  if (lockText !== undefined && options.check !== true) await writeLockText(config.lockfilePath, lockText);
  timings.lap("write");
  const changes = mustPull ? diffLocks(previous ?? EMPTY_LOCK, lock, config.apps) : { changes: [], breaking: 0 };
  const changelogPath = await writeChangelog(changelog, config.lockfilePath, changes);
  return {
    outputDir: config.outputDir,
    lockfilePath: config.lockfilePath,
    files: [...files.keys()],
    output,
    pulled: mustPull,
    diff: changes,
    ...(changelogPath !== undefined ? { changelogPath } : {}),
    diagnostics,
    timings: timings.stages,
  };
}

/** Options of `pull`. */
export interface PullOptions extends CommonOptions {
  /** When something changed, append the classified changes to this markdown file (relative to `cwd`). */
  changelog?: string;
}

/** What `pull` did. */
export interface PullResult {
  lockfilePath: string;
  /** The classified changes between the previous lock and the pulled one. */
  diff: DiffResult;
  /** The changelog file the changes were appended to, when `changelog` was given and something changed. */
  changelogPath?: string;
  diagnostics: Diagnostic[];
}

/** Updates the lock from the API for every configured app, without generating. */
export async function pull(options: PullOptions = {}): Promise<PullResult> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  const changelog = await openChangelog(options);
  const { lock, text } = await pullLock(config, previous, undefined, options);
  const { diagnostics } = buildModel(lock, config.apps);
  failOnErrors(diagnostics, ExitCode.network, "the API's answers cannot be used");
  await writeLockText(config.lockfilePath, text);
  const changes = diffLocks(previous ?? EMPTY_LOCK, lock, config.apps);
  const changelogPath = await writeChangelog(changelog, config.lockfilePath, changes);
  return {
    lockfilePath: config.lockfilePath,
    diff: changes,
    ...(changelogPath !== undefined ? { changelogPath } : {}),
    diagnostics,
  };
}

/** Options of `diff`. */
export interface DiffOptions extends CommonOptions {
  /** Compare the lock with this lock file (relative to `cwd`) instead of the live API. */
  against?: string;
}

/** What `diff` found: the classified changes from the lock to the live API (or to `against`). */
export interface DiffReport extends DiffResult {
  lockfilePath: string;
  /** What the lock was compared with: the API, or the lock file at `againstPath`. */
  source: "api" | "lock";
  /** Absolute path of the `against` lock file. */
  againstPath?: string;
  /** Warnings of the pull (errors are thrown as CodegenError). */
  diagnostics: Diagnostic[];
}

/**
 * Compares the lock with the live API (pulled like `pull` does, writing nothing) or with another lock
 * file, for the configured apps and their selected actions. The lock is the "before" side.
 */
export async function diff(options: DiffOptions = {}): Promise<DiffReport> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  if (previous === undefined) {
    const message = `there is no lock file ${config.lockfilePath} to compare`;
    throw new CodegenError(message, ExitCode.usage, [
      { severity: "error", code: "no-lock", message, hint: "run `refold-codegen generate` (or `pull`) first" },
    ]);
  }
  if (options.against !== undefined) {
    const againstPath = resolve(options.cwd ?? process.cwd(), options.against);
    const other = await readLock(againstPath);
    if (other === undefined) {
      const message = `the lock file ${againstPath} given with --against does not exist`;
      throw new CodegenError(message, ExitCode.usage, [{ severity: "error", code: "no-lock", message }]);
    }
    const result = diffLocks(previous, other, config.apps);
    return { ...result, lockfilePath: config.lockfilePath, source: "lock", againstPath, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = [];
  const { lock: live } = await pullLock(config, previous, undefined, options, diagnostics);
  const result = diffLocks(previous, live, config.apps);
  return { ...result, lockfilePath: config.lockfilePath, source: "api", diagnostics };
}

const EMPTY_LOCK: LockFile = { lockfileVersion: 1, apps: {} };

/**
 * Pulls the configured apps (all of them, or only those named in coverage gaps) and returns the new lock
 * (configured apps only, untouched apps kept as they were) with its file's exact bytes. Throws with every
 * problem of the run; writes nothing.
 *
 * With `tolerant` (for `diff`), warnings are collected into it, and an included action the API no longer
 * lists is not an error: that app is pulled again without it, so the diff can report it as removed.
 */
async function pullLock(
  config: ResolvedConfig,
  previous: LockFile | undefined,
  gaps: readonly CoverageGap[] | undefined,
  options: CommonOptions,
  tolerant?: Diagnostic[],
): Promise<{ lock: LockFile; text: string }> {
  const auth = credentialsFrom(options.env ?? process.env, "pulling schemas");
  const everything = gaps === undefined || gaps.some((gap) => gap.app === undefined);
  const stale = config.apps.filter((app) => everything || gaps.some((gap) => gap.app === app.slug));
  const request = (app: AppConfig, without: ReadonlySet<string> = new Set()) => ({
    slug: app.slug,
    ...(app.include ? { include: app.include.filter((id) => !without.has(id)) } : {}),
    ...(app.exclude ? { exclude: [...app.exclude] } : {}),
  });
  const source = {
    baseUrl: config.baseUrl,
    auth,
    ...(config.linkedAccountId !== undefined ? { linkedAccountId: config.linkedAccountId } : {}),
    concurrency: config.concurrency,
    rateLimit: config.rateLimit,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  // Loaded on demand: the network client (undici) is not needed by offline runs.
  const { pullApps } = await import("./source/pull.js");
  const result = await pullApps(
    stale.map((app) => request(app)),
    source,
  );
  if (tolerant !== undefined) {
    const vanished = vanishedIncludes(stale, result.diagnostics);
    if (vanished.size > 0) {
      const again = await pullApps(
        stale.filter((app) => vanished.has(app.slug)).map((app) => request(app, vanished.get(app.slug))),
        source,
      );
      result.diagnostics = [
        ...result.diagnostics.filter((d) => d.app === undefined || !vanished.has(d.app)),
        ...again.diagnostics,
      ];
      Object.assign(result.apps, again.apps);
    }
    tolerant.push(...result.diagnostics.filter((d) => d.severity === "warning"));
  }
  failOnErrors(result.diagnostics, ExitCode.network, "the pull failed; the lock file and the output are unchanged");
  const renderer = new LockRenderer();
  const apps: Record<string, LockApp> = {};
  for (const app of config.apps) {
    const pulled = result.apps[app.slug];
    const kept = previous !== undefined && Object.hasOwn(previous.apps, app.slug) ? previous.apps[app.slug] : undefined;
    const entry = pulled ? renderer.entry(pulled) : kept;
    if (entry) setOwn(apps, app.slug, entry);
  }
  const lock = buildLock(apps);
  // Serialized at once, while nothing else holds the entries (the renderer's fast path relies on it).
  return { lock, text: renderer.serialize(lock) };
}

/**
 * Apps whose only errors are included actions the API no longer lists (source's `unknown-action`), with
 * those ids. Any other error keeps the app out, so the pull still fails for it.
 */
function vanishedIncludes(apps: readonly AppConfig[], diagnostics: readonly Diagnostic[]): Map<string, Set<string>> {
  const vanished = new Map<string, Set<string>>();
  for (const app of apps) {
    const errors = diagnostics.filter((d) => d.app === app.slug && d.severity === "error");
    const ids = errors.map((d) => (d.code === "unknown-action" && d.action !== undefined ? d.action : undefined));
    if (errors.length > 0 && ids.every((id) => id !== undefined && app.include?.includes(id) === true))
      vanished.set(app.slug, new Set(ids as string[]));
  }
  return vanished;
}

/** A changelog to append to: its path and its text before this run. */
interface Changelog {
  path: string;
  existing: string;
}

/** Reads the changelog asked for (missing is fine), before the run writes anything, so a bad path fails early. */
async function openChangelog(options: CommonOptions & { changelog?: string }): Promise<Changelog | undefined> {
  if (options.changelog === undefined) return undefined;
  const path = resolve(options.cwd ?? process.cwd(), options.changelog);
  try {
    return { path, existing: await readFile(path, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path, existing: "" };
    const message = `the changelog ${path} cannot be read: ${(error as Error).message}`;
    throw new CodegenError(message, ExitCode.usage, [{ severity: "error", code: "changelog", message }]);
  }
}

/** Appends the changes to the changelog when something changed; returns its path then. */
async function writeChangelog(
  changelog: Changelog | undefined,
  lockfilePath: string,
  changes: DiffResult,
): Promise<string | undefined> {
  if (changelog === undefined || changes.changes.length === 0) return undefined;
  const section = formatChangelog(changes, `${basename(lockfilePath)} update`);
  await writeFileAtomic(changelog.path, appendSection(changelog.existing, section));
  return changelog.path;
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

import { resolve } from "node:path";
import { openChangelog, writeChangelog } from "./changelog.js";
import { CodegenError, ExitCode, failOnErrors, type Diagnostic } from "./diagnostics.js";
import { diffLocks } from "./diff/classify.js";
import type { DiffResult } from "./diff/types.js";
import { readLock } from "./lock/read.js";
import { writeLockText } from "./lock/write.js";
import { buildModel } from "./model/build.js";
import { loadProjectConfig, type CommonOptions } from "./options.js";
import { EMPTY_LOCK, pullLock } from "./pull-lock.js";

export { CodegenError, ExitCode } from "./diagnostics.js";
export type { Diagnostic } from "./diagnostics.js";
export type { OutputDiff } from "./write/output.js";
export type { StageTiming } from "./timing.js";
export { loadProjectConfig, type CommonOptions } from "./options.js";
export { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
export { init, type InitOptions, type InitResult } from "./init.js";
export { list, type ListOptions, type ListedAction } from "./list.js";
export { diffLocks } from "./diff/classify.js";
export { CHANGE_KINDS, type Change, type ChangeKind, type DiffResult } from "./diff/types.js";

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

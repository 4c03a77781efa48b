import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { diffResults } from "../results/compare.js";
import { readResults } from "../results/file.js";
import { loadProjectConfig, type CommonOptions } from "../config/options.js";
import { diffLocks } from "../diff/classify.js";
import type { DiffResult } from "../diff/types.js";
import { readLock } from "../lock/read.js";
import { pullLock } from "../pipeline/pull.js";
import { codegenError, type Diagnostic } from "../util/diagnostics.js";

/** Options of `diff`. */
export interface DiffOptions extends CommonOptions {
  /** Compare the lock with this lock file (relative to `cwd`) instead of the live API. */
  against?: string;
  /** Also compare the results file with this one (relative to `cwd`): the result shapes' changes. */
  againstResults?: string;
}

/** What `diff` found: the classified changes from the lock to the live API (or to `against`). */
export interface DiffReport extends DiffResult {
  lockfilePath: string;
  /** What the lock was compared with: the API, or the lock file at `againstPath`. */
  source: "api" | "lock";
  /** Absolute path of the `against` lock file. */
  againstPath?: string;
  /** Absolute path of the `againstResults` file, when result shapes were compared too. */
  againstResultsPath?: string;
  /** Warnings of the pull (errors are thrown as CodegenError). */
  diagnostics: Diagnostic[];
}

/**
 * Compares the lock with the live API (pulled like `pull` does, writing nothing) or with another lock
 * file, for the configured apps and their selected actions. The lock is the "before" side.
 */
export async function diff(options: DiffOptions = {}): Promise<DiffReport> {
  const report = await diffLock(options);
  if (options.againstResults === undefined) return report;
  const config = await loadProjectConfig(options);
  const againstResultsPath = resolve(options.cwd ?? process.cwd(), options.againstResults);
  if (!existsSync(againstResultsPath)) {
    const message = `the results file ${againstResultsPath} given with --against-results does not exist`;
    throw codegenError(message, "no-results", "check the path given with --against-results");
  }
  const apps = new Set(config.apps.map((app) => app.slug));
  const results = diffResults(await readResults(config.resultsPath), await readResults(againstResultsPath), apps);
  const changes = [...report.changes, ...results];
  return { ...report, changes, breaking: changes.filter((change) => change.breaking).length, againstResultsPath };
}

async function diffLock(options: DiffOptions): Promise<DiffReport> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  if (previous === undefined) {
    const message = `there is no lock file ${config.lockfilePath} to compare`;
    throw codegenError(message, "no-lock", "run `refold-codegen generate` (or `pull`) first");
  }
  if (options.against !== undefined) {
    const againstPath = resolve(options.cwd ?? process.cwd(), options.against);
    const other = await readLock(againstPath);
    if (other === undefined) {
      const message = `the lock file ${againstPath} given with --against does not exist`;
      throw codegenError(message, "no-lock", "check the path given with --against");
    }
    const result = diffLocks(previous, other, config.apps);
    return { ...result, lockfilePath: config.lockfilePath, source: "lock", againstPath, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = [];
  const { lock: live } = await pullLock(config, previous, undefined, options, diagnostics);
  const result = diffLocks(previous, live, config.apps);
  return { ...result, lockfilePath: config.lockfilePath, source: "api", diagnostics };
}

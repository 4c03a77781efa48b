import { loadProjectConfig, type CommonOptions } from "../config/options.js";
import { runtimeDependencyProblems } from "../config/project.js";
import type { ResolvedConfig } from "../config/types.js";
import { openChangelog, writeChangelog } from "./changelog.js";
import { diffLocks } from "../diff/classify.js";
import type { DiffResult } from "../diff/types.js";
import { coverageGaps } from "../lock/covers.js";
import { readLock } from "../lock/read.js";
import { readResults } from "../results/file.js";
import type { LockFile } from "../lock/types.js";
import { codegenError, ExitCode, failOnErrors, type Diagnostic } from "../util/diagnostics.js";
import { StageTimer, type StageTiming } from "../util/timing.js";
import { writeFileAtomic } from "../write/atomic-file.js";
import { checkOutput, writeOutput, type OutputDiff } from "../write/output.js";
import { EMPTY_LOCK, pullLock } from "./pull.js";
import { render } from "./render.js";

/*
 * generate = config -> (pull) -> lock -> model -> emit -> write. Every run renders the whole output in
 * memory; the write stage then writes only the files whose bytes changed (a no-op run writes nothing),
 * and `--check` only compares.
 */

/** Options of `generate`. */
export interface GenerateOptions extends CommonOptions {
  /** Pull everything again from the API first. */
  refresh?: boolean;
  /** Never touch the network; fail if the lock does not cover the config. */
  offline?: boolean;
  /** Write nothing at all; report whether the output is stale. */
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
  const dependencies = runtimeDependencyProblems(config.outputDir, config.emit);
  const changelog = options.check === true ? undefined : await openChangelog(options);
  const previous = await readLock(config.lockfilePath);
  timings.lap("read");
  const pulled = await pullIfNeeded(config, previous, options);
  if (pulled !== undefined) timings.lap("pull");
  const lock = pulled?.lock ?? previous!;
  const rendered = await render(lock, config, await readResults(config.resultsPath));
  failOnErrors(rendered.diagnostics, pulled !== undefined ? ExitCode.network : ExitCode.usage, "cannot generate");
  let files = rendered.files;
  if (config.format === "prettier") {
    const { formatWithPrettier } = await import("../write/format.js");
    files = await formatWithPrettier(files, config.outputDir, config.rootDir);
  }
  timings.lap("render");
  const output =
    options.check === true ? await checkOutput(config.outputDir, files) : await writeOutput(config.outputDir, files);
  // The lock last: a failed write leaves the lock and the output as they were before a pull.
  if (pulled !== undefined && options.check !== true) await writeFileAtomic(config.lockfilePath, pulled.text);
  timings.lap(options.check === true ? "check" : "write");
  const changes =
    pulled === undefined ? { changes: [], breaking: 0 } : diffLocks(previous ?? EMPTY_LOCK, lock, config.apps);
  const changelogPath = await writeChangelog(changelog, config.lockfilePath, changes);
  return {
    outputDir: config.outputDir,
    lockfilePath: config.lockfilePath,
    files: [...files.keys()],
    output,
    pulled: pulled !== undefined,
    diff: changes,
    ...(changelogPath !== undefined ? { changelogPath } : {}),
    diagnostics: [...dependencies, ...rendered.diagnostics],
    timings: timings.stages,
  };
}

/**
 * Pulls when asked (`refresh`) or when the lock does not cover the config (only the apps it lacks), and
 * returns the new lock with its bytes; undefined when the lock serves as it is.
 */
async function pullIfNeeded(
  config: ResolvedConfig,
  previous: LockFile | undefined,
  options: GenerateOptions,
): Promise<{ lock: LockFile; text: string } | undefined> {
  const gaps = coverageGaps(previous, config);
  if (options.refresh !== true && gaps.length === 0) return undefined;
  if (options.offline === true || options.check === true) {
    const message = `the lock file ${config.lockfilePath} does not cover the config:\n${gaps.map((gap) => `  - ${gap.message}`).join("\n")}`;
    throw codegenError(
      message,
      "lock-stale",
      "run `refold-codegen generate` (or `pull`) with REFOLD_API_KEY set, and commit the lock",
    );
  }
  return pullLock(config, previous, options.refresh === true ? undefined : gaps, options);
}

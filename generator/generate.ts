import type { ResolvedConfig } from "./config/types.js";
import type { Diagnostic } from "./diagnostics.js";
import type { DiffResult } from "./diff/types.js";
import { VerifiedOutput } from "./cache/verified.js";
import { runtimeDependencyProblem } from "./config/project.js";
import { CodegenError, ExitCode } from "./diagnostics.js";
import { isStamped, runKey, runKeyHash } from "./emit/cache.js";
import { readLockBytes } from "./lock/read.js";
import { loadProjectConfig, type CommonOptions } from "./options.js";
import { StageTimer, type StageTiming } from "./timing.js";
import { withOutputLock, type OutputLockOptions } from "./write/output-lock.js";
import { readOutput, type OutputDiff } from "./write/output.js";

/*
 * `generate` stops when nothing changed: at once when the cache's record (cache/verified.ts) says the lock
 * and the output still have the metadata of files an earlier run proved fresh; else after reading them, when
 * the output's stamp says generator, config and lock are those it was written from. Neither path loads more
 * than this module's imports: the work of a run with something to do (regenerate.ts) is loaded only then.
 */

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
  /** Told when another run holds the output folder and this one waits for it (see write/output-lock.ts). */
  onLockWait?: OutputLockOptions["onWait"];
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
  const run: Run = { options, timings: new StageTimer(), config: await loadProjectConfig(options) };
  // Before anything else: an output that cannot run in production is not worth writing.
  const dependency = runtimeDependencyProblem(run.config.outputDir);
  if (dependency?.severity === "error") throw new CodegenError(dependency.message, ExitCode.usage, [dependency]);
  const result = await generateChecked(run);
  if (dependency !== undefined) result.diagnostics.unshift(dependency);
  return result;
}

async function generateChecked(run: Run): Promise<GenerateResult> {
  const { config, options } = run;
  // A run that may stop early first asks the cache whether an earlier run proved these very files fresh.
  const mayStop = options.refresh !== true && options.check !== true;
  const verified = mayStop ? VerifiedOutput.of(config, options.env ?? process.env) : undefined;
  const inputs = runKeyHash(outputConfigOf(config)).digest("hex");
  const proved = verified?.unchangedFiles(inputs);
  if (proved !== undefined) return unchanged(run, proved, "unchanged (metadata)");
  // Else it reads the files, and may replace them: one run per output folder at a time.
  const locking = options.onLockWait === undefined ? {} : { onWait: options.onLockWait };
  return withOutputLock(config.outputDir, () => fromContent(run, mayStop, verified, inputs), locking);
}

interface Run {
  options: GenerateOptions;
  config: ResolvedConfig;
  timings: StageTimer;
}

/** What of the config shapes the output (with the generator and the lock, the inputs' key). */
const outputConfigOf = (config: ResolvedConfig) => ({ apps: config.apps, emit: config.emit });

/** Reads the lock and the output: stops when the stamp proves the output fresh, else regenerates. */
async function fromContent(
  run: Run,
  mayStop: boolean,
  verified: VerifiedOutput | undefined,
  inputs: string,
): Promise<GenerateResult> {
  const { config, options, timings } = run;
  const outputConfig = outputConfigOf(config);
  // Metadata taken before anything is read, to record if the reads prove the files fresh.
  const seen = verified?.observe();
  // The output is read while the lock is read, and the lock is hashed piece by piece as it arrives: the
  // reads wait on the disk, the hashing on the CPU.
  const reading = readOutput(config.outputDir);
  // Handled here so a failed read is not reported as unhandled while the lock is read; awaited below.
  reading.catch(() => undefined);
  const lockHash = runKeyHash(outputConfig);
  const lockBytes = await readLockBytes(config.lockfilePath, (piece) => lockHash.update(piece));
  // The key of the lock just read is known; a pulled lock's is computed once.
  const keys = new Map<Uint8Array, string>();
  if (lockBytes !== undefined) keys.set(lockBytes, lockHash.digest("hex"));
  const keyOf = (bytes: Uint8Array) => {
    let key = keys.get(bytes);
    if (key === undefined) {
      key = runKey(outputConfig, bytes);
      keys.set(bytes, key);
    }
    return key;
  };
  const current = await reading;
  if (mayStop && lockBytes !== undefined && isStamped(current, keyOf(lockBytes))) {
    // Same generator, config and lock as the run that wrote this untouched output: nothing to do.
    const files = [...current.keys()];
    if (seen !== undefined) verified?.remember(inputs, seen, files);
    return unchanged(run, files, "unchanged");
  }
  const { regenerate } = await import("./regenerate.js");
  return regenerate({ config, options, current, lockBytes, keyOf, timings });
}

function unchanged(run: Run, files: string[], stage: string): GenerateResult {
  run.timings.lap(stage);
  const { outputDir, lockfilePath } = run.config;
  const output = { changed: [], added: [], removed: [] };
  const diff = { changes: [], breaking: 0 };
  return { outputDir, lockfilePath, files, output, pulled: false, diff, diagnostics: [], timings: run.timings.stages };
}

import type { ResolvedConfig } from "./config/types.js";
import type { Changelog } from "./changelog.js";
import { CodegenError, ExitCode, failOnErrors } from "./diagnostics.js";
import type { GenerateOptions, GenerateResult } from "./generate.js";
import { coverageGaps } from "./lock/covers.js";
import { viewLockBytes, withLockView, type LockView } from "./lock/view.js";
import { planRender, renderOutput, type RenderPlan } from "./render.js";
import type { StageTimer } from "./timing.js";
import { writeFileAtomic } from "./write/atomic-file.js";
import { diffOutput, writeOutput } from "./write/output.js";

/** What `generate` knows once it has read its inputs. */
export interface GenerateInputs {
  config: ResolvedConfig;
  options: GenerateOptions;
  /** The output folder's files as they are. */
  current: ReadonlyMap<string, Buffer>;
  lockBytes: Buffer | undefined;
  keyOf: (lockBytes: Uint8Array) => string;
  timings: StageTimer;
}

/** The rest of `generate`, over a view of the lock (undefined when there is no lock yet). */
async function generateFrom(view: LockView | undefined, inputs: GenerateInputs): Promise<GenerateResult> {
  const { config, options, current, lockBytes, keyOf, timings } = inputs;
  // --check renders cold, so it judges the output against what a fresh run writes.
  const previousOutput = options.check === true ? undefined : current;
  const planned = view === undefined ? undefined : planRender(view, config.apps, previousOutput);
  // What only pulls and changelogs need (the network client, lock diffs) loads only for them.
  const changelog: Changelog | undefined =
    options.check === true || options.changelog === undefined
      ? undefined
      : await (await import("./changelog.js")).openChangelog(options);
  const gaps = coverageGaps(view, config, planned?.kept);
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
  timings.lap("plan");
  const previous = mustPull ? view?.lock() : undefined;
  const pulling = mustPull ? await import("./pull-lock.js") : undefined;
  const pulled = await pulling?.pullLock(config, previous, options.refresh === true ? undefined : gaps, options);
  if (mustPull) timings.lap("pull");
  const finalLockBytes = pulled === undefined ? (lockBytes as Buffer) : Buffer.from(pulled.text);
  const render =
    pulled === undefined
      ? (planned as RenderPlan)
      : planRender(viewLockBytes(finalLockBytes, config.lockfilePath), config.apps, previousOutput);
  const { files, diagnostics } = await renderOutput(render, { emit: config.emit, runKey: keyOf(finalLockBytes) });
  failOnErrors(diagnostics, mustPull ? ExitCode.network : ExitCode.usage, "cannot generate");
  timings.lap("render");
  const output =
    options.check === true ? diffOutput(current, files) : await writeOutput(config.outputDir, files, current);
  if (pulled !== undefined && options.check !== true) await writeFileAtomic(config.lockfilePath, finalLockBytes);
  timings.lap("write");
  const changes =
    pulled === undefined || pulling === undefined
      ? { changes: [], breaking: 0 }
      : (await import("./diff/classify.js")).diffLocks(previous ?? pulling.EMPTY_LOCK, pulled.lock, config.apps);
  const changelogPath =
    changelog === undefined
      ? undefined
      : await (await import("./changelog.js")).writeChangelog(changelog, config.lockfilePath, changes);
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

/** A generate run with something to do: pull when the lock does not cover the config, render, write. */
export function regenerate(inputs: GenerateInputs): Promise<GenerateResult> {
  return withLockView(inputs.lockBytes, inputs.config.lockfilePath, (view) => generateFrom(view, inputs));
}

// The one module of the CLI that imports `generate`: both the fast path (cli.ts) and yargs' `generate`
// command come through here, so the two print the same and exit the same.
import { ExitCode } from "../diagnostics.js";
import { generate, type GenerateOptions, type GenerateResult } from "../generate.js";
import { formatOutputDiff, formatTimings } from "../report.js";
import { err, out, printLockUpdate, progressReporter, run, warn, type Globals } from "./output.js";

/** The arguments of `generate`, as yargs hands them to its handler (an absent flag is undefined). */
export interface GenerateArgs extends Globals {
  refresh?: boolean | undefined;
  offline?: boolean | undefined;
  check?: boolean | undefined;
  changelog?: string | undefined;
  watch?: boolean | undefined;
}

/** The programmatic options a `generate` command line stands for. */
export function generateOptions(argv: GenerateArgs): GenerateOptions {
  return {
    config: argv.config,
    refresh: argv.refresh === true,
    offline: argv.offline === true,
    check: argv.check === true,
    ...(argv.changelog !== undefined ? { changelog: argv.changelog } : {}),
    ...progressReporter(argv),
    ...(argv.quiet || argv.json
      ? {}
      : {
          onLockWait: (holder, lockPath) =>
            err(`waiting for another refold-codegen run (pid ${holder.pid} on ${holder.host}) to release ${lockPath}`),
        }),
  };
}

/** Prints what generate did (or found stale) and returns the exit code. */
export function reportGenerate(argv: GenerateArgs, result: GenerateResult): number {
  warn(argv, result.diagnostics);
  const stale = formatOutputDiff(result.output, argv.check === true);
  const exitCode = argv.check && stale.length > 0 ? ExitCode.differences : ExitCode.ok;
  if (argv.json) out(JSON.stringify({ ok: exitCode === ExitCode.ok, exitCode, ...result }, null, 2));
  else if (argv.check) {
    if (stale.length > 0) err(`${result.outputDir} is stale; run \`refold-codegen generate\`:\n${stale.join("\n")}`);
    else if (!argv.quiet) out(`${result.outputDir} is up to date`);
  } else if (!argv.quiet) {
    if (result.pulled) printLockUpdate(result.lockfilePath, result.diff, result.changelogPath);
    out(
      stale.length > 0
        ? `wrote ${result.outputDir}:\n${stale.join("\n")}`
        : `${result.outputDir} is up to date (${result.files.length} files)`,
    );
  }
  if (argv.verbose && !argv.json) err(formatTimings(result.timings));
  return exitCode;
}

/** One `generate` run (not `--watch`), reported; returns the exit code. */
export async function generateOnce(argv: GenerateArgs): Promise<number> {
  return reportGenerate(argv, await generate(generateOptions(argv)));
}

/** `generate` for the fast path: what yargs' handler does for the same arguments without --watch. */
export function runGenerate(argv: GenerateArgs): Promise<void> {
  return run(argv, () => generateOnce(argv));
}

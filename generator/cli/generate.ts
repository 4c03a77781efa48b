import type { GenerateOptions, GenerateResult } from "../pipeline/generate.js";
import { ExitCode } from "../util/diagnostics.js";
import { err, out, printLockUpdate, progressReporter, run, warn, type Globals } from "./output.js";
import type { Command } from "./command.js";
import { formatOutputDiff, formatTimings } from "./report.js";

export const CHANGELOG_OPTION = {
  type: "string",
  describe: "When the pull changed something, append the classified changes to this markdown file",
} as const;

/** The arguments of `generate`, as yargs hands them to its handler (an absent flag is undefined). */
export interface GenerateArgs extends Globals {
  refresh?: boolean | undefined;
  offline?: boolean | undefined;
  check?: boolean | undefined;
  changelog?: string | undefined;
  watch?: boolean | undefined;
}

/** `refold-codegen generate`: once, or again on every change of the config, the lock or the results file (`--watch`). */
export const generateCommand: Command = (program) =>
  program.command(
    "generate",
    "Generate the clients (pulls first when the lock does not cover the config)",
    (y) =>
      y
        .option("refresh", { type: "boolean", describe: "Pull everything again, update the lock, print what changed" })
        .option("offline", {
          type: "boolean",
          describe: "Never touch the network; fail if the lock does not cover the config",
        })
        .option("check", { type: "boolean", describe: "Write nothing at all; exit 1 listing stale files (for CI)" })
        .option("changelog", CHANGELOG_OPTION)
        .option("watch", {
          type: "boolean",
          describe: "Generate again whenever the config, the lock or the results file changes",
        })
        .conflicts({ refresh: ["offline", "check"], watch: ["check"], changelog: ["offline", "check"] })
        .example("$0 generate --offline", "regenerate from the committed lock")
        .example("$0 generate --check", "fail CI when generated/ is stale")
        .example("$0 generate --refresh --changelog CHANGES.md", "pull, regenerate and record what changed")
        .example("$0 generate --watch", "regenerate whenever refold.codegen.json or the lock changes"),
    (argv) =>
      run(argv, async () => {
        if (argv.watch) return (await import("./watch.js")).watchUntilInterrupted(argv);
        const { generate } = await import("../pipeline/generate.js");
        return reportGenerate(argv, await generate(generateOptions(argv)));
      }),
  );

/** The programmatic options a `generate` command line stands for. */
export function generateOptions(argv: GenerateArgs): GenerateOptions {
  return {
    config: argv.config,
    refresh: argv.refresh === true,
    offline: argv.offline === true,
    check: argv.check === true,
    ...(argv.changelog !== undefined ? { changelog: argv.changelog } : {}),
    ...progressReporter(argv),
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

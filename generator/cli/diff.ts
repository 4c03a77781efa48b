import { ExitCode } from "../util/diagnostics.js";
import { err, out, run, warn } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen diff`: the lock against the live API or another lock, each change classified. */
export const diffCommand: Command = (program) =>
  program.command(
    "diff",
    "Compare the lock with the live API (or another lock), classifying each change as breaking or not",
    (y) =>
      y
        .option("against", { type: "string", describe: "Compare with this lock file instead of the live API" })
        .option("against-results", {
          type: "string",
          describe: "Also compare the results file with this one (result shapes, classified for readers)",
        })
        .option("fail-on", {
          choices: ["breaking", "any"] as const,
          describe: "Exit 1 when a breaking change (or any change) is found",
        })
        .example("$0 diff --fail-on breaking", "fail CI when the live API broke the committed lock's clients")
        .example("$0 diff --against old.lock.json --json", "classified changes as JSON"),
    (argv) =>
      run(argv, async () => {
        const [{ diff }, { diffJson, formatDiffReport, formatDiffSummary }] = await Promise.all([
          import("../commands/diff.js"),
          import("../diff/format.js"),
        ]);
        const result = await diff({
          config: argv.config,
          ...(argv.against !== undefined ? { against: argv.against } : {}),
          ...(argv["against-results"] !== undefined ? { againstResults: argv["against-results"] } : {}),
        });
        warn(argv, result.diagnostics);
        const failOn = argv["fail-on"];
        const failed = failOn === "breaking" ? result.breaking > 0 : failOn === "any" && result.changes.length > 0;
        if (argv.json) out(JSON.stringify(diffJson(result), null, 2));
        else if (!argv.quiet) {
          const other = result.source === "api" ? "the API" : result.againstPath;
          out([`lock ${result.lockfilePath} -> ${other}:`, ...formatDiffReport(result)].join("\n"));
        } else if (failed) err(`refold-codegen: ${formatDiffSummary(result)} (--fail-on ${failOn})`);
        return failed ? ExitCode.differences : ExitCode.ok;
      }),
  );

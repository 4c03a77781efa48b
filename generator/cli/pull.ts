import { ExitCode } from "../util/diagnostics.js";
import { CHANGELOG_OPTION } from "./generate.js";
import { out, printLockUpdate, progressReporter, run, warn } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen pull`: update the lock without generating. */
export const pullCommand: Command = (program) =>
  program.command(
    "pull",
    "Update the lock from the API without generating",
    (y) => y.option("changelog", CHANGELOG_OPTION),
    (argv) =>
      run(argv, async () => {
        const { pull } = await import("../pipeline/pull.js");
        const result = await pull({
          config: argv.config,
          ...(argv.changelog !== undefined ? { changelog: argv.changelog } : {}),
          ...progressReporter(argv),
        });
        warn(argv, result.diagnostics);
        if (argv.json) out(JSON.stringify({ ok: true, ...result }, null, 2));
        else if (!argv.quiet) printLockUpdate(result.lockfilePath, result.diff, result.changelogPath);
        return ExitCode.ok;
      }),
  );

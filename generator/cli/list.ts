import { ExitCode } from "../util/diagnostics.js";
import { out, run } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen list <app>`: an app's actions, from the lock or the API. */
export const listCommand: Command = (program) =>
  program.command(
    "list <app>",
    "Print an app's actions",
    (y) =>
      y
        .positional("app", { type: "string", demandOption: true, describe: "The app's slug, e.g. hubspot" })
        .option("refresh", { type: "boolean", default: false, describe: "Ask the API even when the lock has the app" })
        .option("offline", { type: "boolean", default: false, describe: "Only read the lock" }),
    (argv) =>
      run(argv, async () => {
        const [{ list }, { formatActionTable }] = await Promise.all([
          import("../commands/list.js"),
          import("./report.js"),
        ]);
        const result = await list(String(argv.app), {
          config: argv.config,
          refresh: argv.refresh,
          offline: argv.offline,
        });
        out(argv.json ? JSON.stringify(result, null, 2) : formatActionTable(result.actions));
        return ExitCode.ok;
      }),
  );

import { ExitCode } from "../util/diagnostics.js";
import { out, run } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen mock`: the local emulator, until interrupted. */
export const mockCommand: Command = (program) =>
  program.command(
    "mock",
    "Start the local Refold emulator on 127.0.0.1, serving the apps in the lock",
    (y) =>
      y
        .option("port", { type: "number", default: 4010, describe: "Port (0 picks a free one)" })
        .option("lock", { type: "string", describe: "Lock file to serve (default: the config's lock file)" })
        .option("results", {
          type: "string",
          describe: "Results file whose shapes the answers take (default: the config's results file)",
        })
        .option("page-items", {
          type: "number",
          describe: "Items each declared paginated action lists, served a page at a time (default 25)",
        })
        .option("faults", { type: "string", describe: "JSON file of faults to inject (see the README)" })
        .option("connections", {
          type: "string",
          describe: 'JSON file { "<account>": { "<slug>": "connected" | "expired" | "missing" } }',
        })
        .option("latency", { type: "number", default: 0, describe: "Delay before every answer, in ms" })
        .option("rate-limit", { type: "string", describe: "Enforce a rate limit, as <perSecond>/<burst>, e.g. 20/5" })
        .option("shuffle", { type: "boolean", default: false, describe: "Answer action lists in a shuffled order" })
        .option("cors-origin", {
          type: "string",
          array: true,
          describe:
            "An origin browser pages may call the emulator from (repeatable; `loopback` for any origin on localhost, 127.0.0.0/8 or [::1], `*` for any); default loopback",
        }),
    (argv) =>
      run(argv, async () => {
        const { runMockCommand } = await import("../mock/command.js");
        await runMockCommand({ ...argv, print: (line: string) => (argv.quiet ? undefined : out(line)) });
        return ExitCode.ok;
      }),
  );

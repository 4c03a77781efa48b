// The command line: yargs parses every command; each command's module adds its options and its handler.
import yargs, { type Argv } from "yargs";
import { ExitCode, type Diagnostic } from "../util/diagnostics.js";
import { packageVersion } from "../util/paths.js";
import type { Command } from "./command.js";
import { diffCommand } from "./diff.js";
import { generateCommand } from "./generate.js";
import { initCommand } from "./init.js";
import { listCommand } from "./list.js";
import { mockCommand } from "./mock.js";
import { err, out, type Globals } from "./output.js";
import { pullCommand } from "./pull.js";
import { recordCommand } from "./record.js";

const COMMANDS: readonly Command[] = [
  initCommand,
  generateCommand,
  pullCommand,
  listCommand,
  diffCommand,
  recordCommand,
  mockCommand,
];

/** The yargs program for `args`, with every command, not yet parsed and without a failure handler. */
export function createProgram(args: readonly string[]): Argv<Globals> {
  const program = yargs(args)
    .scriptName("refold-codegen")
    .usage("$0 <command> [options]\n\nTyped TypeScript clients for the Refold Actions API.")
    .option("config", {
      type: "string",
      default: "refold.codegen.json",
      describe: "Path of the config file",
      global: true,
    })
    .option("json", { type: "boolean", default: false, describe: "Machine-readable output on stdout", global: true })
    .option("quiet", { type: "boolean", default: false, describe: "Print errors only", global: true })
    .option("verbose", { type: "boolean", default: false, describe: "Print the time each stage took", global: true });
  return COMMANDS.reduce((withCommands, add) => add(withCommands), program)
    .demandCommand(1, "name a command: init, generate, pull, list, diff, record or mock")
    .strict()
    .version(packageVersion())
    .help()
    .alias("help", "h")
    .wrap(Math.min(120, process.stdout.columns || 100));
}

/** A usage error: printed (as JSON with --json), then exit 2. */
export function usageFailure(message: string, error: Error | undefined): never {
  if (error) throw error;
  if (process.argv.includes("--json")) {
    const diagnostic: Diagnostic = { severity: "error", code: "usage", message, hint: "run `refold-codegen --help`" };
    out(JSON.stringify({ ok: false, exitCode: ExitCode.usage, message, diagnostics: [diagnostic] }, null, 2));
  } else {
    err(`refold-codegen: ${message}\nRun \`refold-codegen --help\` for usage.`);
  }
  process.exit(ExitCode.usage);
}

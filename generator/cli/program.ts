// The full command line, parsed by yargs: every command, --help, --version and usage errors. cli.ts loads
// it only when the fast path (fast-generate.ts) declines the arguments; each command loads its own code.
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ExitCode, type Diagnostic } from "../diagnostics.js";
import { packageVersion } from "../paths.js";
import { DEFAULT_CONFIG, GENERATE_CONFLICTS } from "./fast-generate.js";
import type { InitResult } from "../init.js";
import { err, out, printLockUpdate, progressReporter, run, warn } from "./output.js";

const changelogOption = {
  type: "string",
  describe: "When the pull changed something, append the classified changes to this markdown file",
} as const;

/** The yargs program for `args`, with its commands and handlers, not yet parsed and without a failure handler. */
export function createProgram(args: readonly string[]) {
  return yargs(args)
    .scriptName("refold-codegen")
    .usage("$0 <command> [options]\n\nTyped TypeScript clients for the Refold Actions API.")
    .option("config", {
      type: "string",
      default: DEFAULT_CONFIG,
      describe: "Path of the config file",
      global: true,
    })
    .option("json", { type: "boolean", default: false, describe: "Machine-readable output on stdout", global: true })
    .option("quiet", { type: "boolean", default: false, describe: "Print errors only", global: true })
    .option("verbose", { type: "boolean", default: false, describe: "Print the time each stage took", global: true })
    .command(
      "init",
      "Write a starter refold.codegen.json (apps from your org when REFOLD_API_KEY is set)",
      (y) =>
        y
          .option("force", {
            type: "boolean",
            default: false,
            describe: "Overwrite an existing config (and `generate` script)",
          })
          .option("add-script", {
            type: "boolean",
            default: false,
            describe: 'Add "generate": "refold-codegen generate" to package.json',
          })
          .option("linked-account-id", {
            type: "string",
            describe: "The linked account to read schemas with (default REFOLD_LINKED_ACCOUNT_ID, else the org's first)",
          })
          .option("install", {
            type: "boolean",
            default: true,
            describe: "Add undici (the generated client's runtime dependency) with your package manager; --no-install only writes it into package.json",
          })
          .example(
            "REFOLD_API_KEY=tk_... $0 init --add-script",
            "start from your org's apps and its first linked account",
          ),
      (argv) =>
        run(argv, async () => {
          const { init } = await import("../init.js");
          const account = argv["linked-account-id"];
          const result = await init({
            config: argv.config,
            force: argv.force,
            addScript: argv["add-script"],
            install: argv.install,
            ...(account !== undefined ? { linkedAccountId: account } : {}),
          });
          warn(argv, result.diagnostics);
          if (argv.json) out(JSON.stringify({ ok: true, ...result }, null, 2));
          else if (!argv.quiet) for (const line of describeInit(result)) out(line);
          return ExitCode.ok;
        }),
    )
    .command(
      "generate",
      "Generate the clients (pulls first when the lock does not cover the config)",
      (y) =>
        y
          .option("refresh", {
            type: "boolean",
            describe: "Pull everything again, update the lock, print what changed",
          })
          .option("offline", {
            type: "boolean",
            describe: "Never touch the network; fail if the lock does not cover the config",
          })
          .option("check", { type: "boolean", describe: "Write nothing; exit 1 listing stale files (for CI)" })
          .option("changelog", changelogOption)
          .option("watch", { type: "boolean", describe: "Generate again whenever the config or the lock changes" })
          .conflicts(GENERATE_CONFLICTS)
          .example("$0 generate --offline", "regenerate from the committed lock")
          .example("$0 generate --check", "fail CI when generated/ is stale")
          .example("$0 generate --refresh --changelog CHANGES.md", "pull, regenerate and record what changed")
          .example("$0 generate --watch", "regenerate whenever refold.codegen.json or the lock changes"),
      (argv) =>
        run(argv, async () => {
          if (argv.watch) return (await import("./watch.js")).watchUntilInterrupted(argv);
          return (await import("./generate.js")).generateOnce(argv);
        }),
    )
    .command(
      "pull",
      "Update the lock from the API without generating",
      (y) => y.option("changelog", changelogOption),
      (argv) =>
        run(argv, async () => {
          const { pull } = await import("../index.js");
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
    )
    .command(
      "list <app>",
      "Print an app's actions",
      (y) =>
        y
          .positional("app", { type: "string", demandOption: true, describe: "The app's slug, e.g. hubspot" })
          .option("refresh", {
            type: "boolean",
            default: false,
            describe: "Ask the API even when the lock has the app",
          })
          .option("offline", { type: "boolean", default: false, describe: "Only read the lock" }),
      (argv) =>
        run(argv, async () => {
          const [{ list }, { formatActionTable }] = await Promise.all([import("../list.js"), import("../report.js")]);
          const result = await list(String(argv.app), {
            config: argv.config,
            refresh: argv.refresh,
            offline: argv.offline,
          });
          out(argv.json ? JSON.stringify(result, null, 2) : formatActionTable(result.actions));
          return ExitCode.ok;
        }),
    )
    .command(
      "diff",
      "Compare the lock with the live API (or another lock), classifying each change as breaking or not",
      (y) =>
        y
          .option("against", { type: "string", describe: "Compare with this lock file instead of the live API" })
          .option("fail-on", {
            choices: ["breaking", "any"] as const,
            describe: "Exit 1 when a breaking change (or any change) is found",
          })
          .example("$0 diff --fail-on breaking", "fail CI when the live API broke the committed lock's clients")
          .example("$0 diff --against old.lock.json --json", "classified changes as JSON"),
      (argv) =>
        run(argv, async () => {
          const [{ diff }, { diffJson, formatDiffReport, formatDiffSummary }] = await Promise.all([
            import("../index.js"),
            import("../diff/format.js"),
          ]);
          const result = await diff({
            config: argv.config,
            ...(argv.against !== undefined ? { against: argv.against } : {}),
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
    )
    .command(
      "mock",
      "Start the local Refold emulator on 127.0.0.1, serving the apps in the lock",
      (y) =>
        y
          .option("port", { type: "number", default: 4010, describe: "Port (0 picks a free one)" })
          .option("lock", { type: "string", describe: "Lock file to serve (default: the config's lock file)" })
          .option("faults", { type: "string", describe: "JSON file of faults to inject (see the README)" })
          .option("latency", { type: "number", default: 0, describe: "Delay before every answer, in ms" })
          .option("rate-limit", {
            type: "string",
            describe: "Enforce a rate limit, as <perSecond>/<burst>, e.g. 20/5",
          })
          .option("shuffle", {
            type: "boolean",
            default: false,
            describe: "Answer action lists in a shuffled order",
          }),
      (argv) =>
        run(argv, async () => {
          const { runMockCommand } = await import("../mock/command.js");
          await runMockCommand({ ...argv, print: (line: string) => (argv.quiet ? undefined : out(line)) });
          return ExitCode.ok;
        }),
    )
    .demandCommand(1, "name a command: init, generate, pull, list, diff or mock")
    .strict()
    .version(packageVersion())
    .help()
    .alias("help", "h")
    .wrap(Math.min(120, process.stdout.columns || 100));
}

/** What `init` did, for humans: the config, where its values came from, and the runtime dependency. */
function describeInit(result: InitResult): string[] {
  const from = result.source === "api" ? "your org's apps" : "a placeholder app: edit apps";
  const account =
    result.linkedAccountSource === "placeholder" ? "a placeholder linked account: edit linkedAccountId" : `linked account ${result.linkedAccountId}`;
  const lines = [`wrote ${result.configPath} with ${result.apps.join(", ")} (${from}) and ${account}`];
  if (result.scriptAdded) lines.push('added "generate": "refold-codegen generate" to package.json');
  if (result.runtimeDependency === "installed") lines.push("added undici to your dependencies (the generated client uses it at run time)");
  if (result.runtimeDependency === "written") lines.push("wrote undici into package.json's dependencies: run your package manager's install");
  lines.push("next: REFOLD_API_KEY=<key> npx refold-codegen generate");
  return lines;
}

/** A usage error: printed (as JSON with --json), then exit 2. */
function usageFailure(message: string, error: Error | undefined): never {
  if (error) throw error;
  if (process.argv.includes("--json")) {
    const diagnostic: Diagnostic = { severity: "error", code: "usage", message, hint: "run `refold-codegen --help`" };
    out(JSON.stringify({ ok: false, exitCode: ExitCode.usage, message, diagnostics: [diagnostic] }, null, 2));
  } else {
    err(`refold-codegen: ${message}\nRun \`refold-codegen --help\` for usage.`);
  }
  process.exit(ExitCode.usage);
}

/** Parses the process's command line with yargs and runs the command it names. */
export async function runProgram(): Promise<void> {
  await createProgram(hideBin(process.argv)).fail(usageFailure).parseAsync();
}

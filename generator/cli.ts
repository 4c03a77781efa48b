#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { CodegenError, ExitCode, type Diagnostic } from "./diagnostics.js";
import { diffJson, formatDiffReport, formatDiffSummary } from "./diff/format.js";
import type { DiffResult } from "./diff/types.js";
import { diff, generate, init, pull, type GenerateOptions, type GenerateResult } from "./index.js";
import { list } from "./list.js";
import { packageVersion } from "./paths.js";
import { formatActionTable, formatDiagnostic, formatOutputDiff, formatTimings, formatWarnings } from "./report.js";
import type { ProgressEvent } from "./source/options.js";
import { watchGenerate } from "./watch.js";

interface Globals {
  config: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** Runs one command and turns its outcome into output and an exit code; the only place that exits. */
async function run(globals: Globals, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    process.exitCode = reportFailure(globals, error);
  }
}

function reportFailure(globals: Globals, error: unknown): number {
  const { exitCode, message, diagnostics, internal } = describeFailure(error);
  if (globals.json) {
    out(JSON.stringify({ ok: false, exitCode, message, diagnostics }, null, 2));
    return exitCode;
  }
  const [headline = "", ...rest] = message.split("\n");
  // A diagnostic that only repeats the message still carries its fix; the message's own lines then stay.
  const repeats = (diagnostic: Diagnostic) => diagnostic.message === message || diagnostic.message === headline;
  err(`refold-codegen: ${headline}`);
  if (diagnostics.every(repeats)) for (const line of rest) err(line);
  for (const diagnostic of diagnostics) {
    if (!repeats(diagnostic)) err(formatDiagnostic(diagnostic));
    else if (diagnostic.hint) err(`  fix: ${diagnostic.hint}`);
  }
  if (internal && error instanceof Error && error.stack)
    err(`${error.stack}\nThis is a bug in refold-codegen: please report it.`);
  return exitCode;
}

/**
 * A failure's exit code and diagnostics. Node system errors (a path that is a file, a port in use, no
 * permission) come from what the user chose, so they are usage errors; anything else is a bug of ours.
 */
function describeFailure(error: unknown): {
  exitCode: number;
  message: string;
  diagnostics: readonly Diagnostic[];
  internal: boolean;
} {
  if (error instanceof CodegenError)
    return { exitCode: error.exitCode, message: error.message, diagnostics: error.diagnostics, internal: false };
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    const hint =
      code === "EADDRINUSE"
        ? "choose another --port (0 picks a free one)"
        : "check the paths in the config and their permissions";
    return {
      exitCode: ExitCode.usage,
      message,
      diagnostics: [{ severity: "error", code: code.toLowerCase(), message, hint }],
      internal: false,
    };
  }
  return { exitCode: ExitCode.internal, message, diagnostics: [], internal: true };
}

function warn(globals: Globals, diagnostics: readonly Diagnostic[]): void {
  if (!globals.quiet && !globals.json) for (const line of formatWarnings(diagnostics)) err(line);
}

/** What a pull changed in the lock, classified, and where the changelog went. */
function printLockUpdate(lockfilePath: string, changes: DiffResult, changelogPath: string | undefined): void {
  const report = formatDiffReport(changes, "the API answers the same as the lock: nothing changed");
  out(`lock ${lockfilePath}:\n${report.map((line) => (line === "" ? line : `  ${line}`)).join("\n")}`);
  if (changelogPath !== undefined) out(`changes appended to ${changelogPath}`);
}

/** Prints what generate did (or found stale) and returns the exit code. */
function reportGenerate(argv: Globals & { check?: boolean | undefined }, result: GenerateResult): number {
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

/** `generate --watch`: runs until SIGINT or SIGTERM; a failed run is reported and watching goes on. */
async function watchUntilInterrupted(argv: Globals, options: GenerateOptions): Promise<number> {
  const handle = await watchGenerate(options, {
    onResult: (result) => reportGenerate(argv, result),
    onError: (error) => reportFailure(argv, error),
  });
  if (!argv.quiet) err("watching the config and the lock file; Ctrl-C stops");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  handle.close();
  return ExitCode.ok;
}

/** A one-line progress display for pulls, on a terminal only: silent in CI, pipes, --json and --quiet. */
function progressReporter(argv: Globals): { onProgress?: (event: ProgressEvent) => void } {
  if (!process.stderr.isTTY || process.env["CI"] || argv.json || argv.quiet) return {};
  return {
    onProgress: (event) => {
      const line = `pulling ${event.app} ${event.done}/${event.total}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 80) - 1)}\x1b[K`);
      if (event.done === event.total) process.stderr.write("\r\x1b[K");
    },
  };
}

const changelogOption = {
  type: "string",
  describe: "When the pull changed something, append the classified changes to this markdown file",
} as const;

const cli = yargs(hideBin(process.argv))
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
        .example(
          "REFOLD_API_KEY=tk_... REFOLD_LINKED_ACCOUNT_ID=acct $0 init --add-script",
          "start from your org's connected apps",
        ),
    (argv) =>
      run(argv, async () => {
        const result = await init({ config: argv.config, force: argv.force, addScript: argv["add-script"] });
        warn(argv, result.diagnostics);
        if (argv.json) out(JSON.stringify({ ok: true, ...result }, null, 2));
        else if (!argv.quiet) {
          const from =
            result.source === "api"
              ? "your org's apps"
              : "a placeholder: edit apps, then run `refold-codegen generate`";
          out(`wrote ${result.configPath} with ${result.apps.join(", ")} (${from})`);
          if (result.scriptAdded) out('added "generate": "refold-codegen generate" to package.json');
        }
        return ExitCode.ok;
      }),
  )
  .command(
    "generate",
    "Generate the clients (pulls first when the lock does not cover the config)",
    (y) =>
      y
        .option("refresh", { type: "boolean", describe: "Pull everything again, update the lock, print what changed" })
        .option("offline", {
          type: "boolean",
          describe: "Never touch the network; fail if the lock does not cover the config",
        })
        .option("check", { type: "boolean", describe: "Write nothing; exit 1 listing stale files (for CI)" })
        .option("changelog", changelogOption)
        .option("watch", { type: "boolean", describe: "Generate again whenever the config or the lock changes" })
        .conflicts("refresh", ["offline", "check"])
        .conflicts("watch", "check")
        .conflicts("changelog", ["offline", "check"])
        .example("$0 generate --offline", "regenerate from the committed lock")
        .example("$0 generate --check", "fail CI when generated/ is stale")
        .example("$0 generate --refresh --changelog CHANGES.md", "pull, regenerate and record what changed")
        .example("$0 generate --watch", "regenerate whenever refold.codegen.json or the lock changes"),
    (argv) =>
      run(argv, async () => {
        const options = {
          config: argv.config,
          refresh: argv.refresh === true,
          offline: argv.offline === true,
          check: argv.check === true,
          ...(argv.changelog !== undefined ? { changelog: argv.changelog } : {}),
          ...progressReporter(argv),
        };
        if (argv.watch) return watchUntilInterrupted(argv, options);
        return reportGenerate(argv, await generate(options));
      }),
  )
  .command(
    "pull",
    "Update the lock from the API without generating",
    (y) => y.option("changelog", changelogOption),
    (argv) =>
      run(argv, async () => {
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
        .option("refresh", { type: "boolean", default: false, describe: "Ask the API even when the lock has the app" })
        .option("offline", { type: "boolean", default: false, describe: "Only read the lock" }),
    (argv) =>
      run(argv, async () => {
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
        .option("rate-limit", { type: "string", describe: "Enforce a rate limit, as <perSecond>/<burst>, e.g. 20/5" })
        .option("shuffle", { type: "boolean", default: false, describe: "Answer action lists in a shuffled order" }),
    (argv) =>
      run(argv, async () => {
        const { runMockCommand } = await import("./mock/command.js");
        await runMockCommand({ ...argv, print: (line: string) => (argv.quiet ? undefined : out(line)) });
        return ExitCode.ok;
      }),
  )
  .demandCommand(1, "name a command: init, generate, pull, list, diff or mock")
  .strict()
  .version(packageVersion())
  .help()
  .alias("help", "h")
  .wrap(Math.min(120, process.stdout.columns || 100))
  .fail((message, error) => {
    if (error) throw error;
    if (process.argv.includes("--json")) {
      const diagnostic: Diagnostic = { severity: "error", code: "usage", message, hint: "run `refold-codegen --help`" };
      out(JSON.stringify({ ok: false, exitCode: ExitCode.usage, message, diagnostics: [diagnostic] }, null, 2));
    } else {
      err(`refold-codegen: ${message}\nRun \`refold-codegen --help\` for usage.`);
    }
    process.exit(ExitCode.usage);
  });

await cli.parseAsync();

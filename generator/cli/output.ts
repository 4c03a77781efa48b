import { CodegenError, ExitCode, type Diagnostic } from "../diagnostics.js";
import { formatDiffReport } from "../diff/format.js";
import type { DiffResult } from "../diff/types.js";
import { formatDiagnostic, formatWarnings } from "../report.js";
import type { ProgressEvent } from "../source/options.js";

/** The options every command has (yargs' global options); the CLI's output depends on them. */
export interface Globals {
  config: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

export const out = (text: string) => process.stdout.write(`${text}\n`);
export const err = (text: string) => process.stderr.write(`${text}\n`);

/** Runs one command and turns its outcome into output and an exit code; the only place that exits. */
export async function run(globals: Globals, body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (error) {
    process.exitCode = reportFailure(globals, error);
  }
}

export function reportFailure(globals: Globals, error: unknown): number {
  const { exitCode, message, diagnostics, internal } = describeFailure(error);
  if (globals.json) {
    out(JSON.stringify({ ok: false, exitCode, message, diagnostics }, null, 2));
    return exitCode;
  }
  const [headline = "", ...rest] = message.split("\n");
  // A diagnostic that only repeats the message still carries its fix; the message's own lines then stay.
  const repeats = (diagnostic: Diagnostic) => headline.includes(diagnostic.message) || diagnostic.message === message;
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
export function describeFailure(error: unknown): {
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

export function warn(globals: Globals, diagnostics: readonly Diagnostic[]): void {
  if (!globals.quiet && !globals.json) for (const line of formatWarnings(diagnostics)) err(line);
}

/** What a pull changed in the lock, classified, and where the changelog went. */
export function printLockUpdate(lockfilePath: string, changes: DiffResult, changelogPath: string | undefined): void {
  const report = formatDiffReport(changes, "the API answers the same as the lock: nothing changed");
  out(`lock ${lockfilePath}:\n${report.map((line) => (line === "" ? line : `  ${line}`)).join("\n")}`);
  if (changelogPath !== undefined) out(`changes appended to ${changelogPath}`);
}

/** A one-line progress display for pulls, on a terminal only: silent in CI, pipes, --json and --quiet. */
export function progressReporter(globals: Globals): { onProgress?: (event: ProgressEvent) => void } {
  if (!process.stderr.isTTY || process.env["CI"] || globals.json || globals.quiet) return {};
  return {
    onProgress: (event) => {
      const line = `pulling ${event.app} ${event.done}/${event.total}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 80) - 1)}\x1b[K`);
      if (event.done === event.total) process.stderr.write("\r\x1b[K");
    },
  };
}

import { CodegenError, ExitCode, type Diagnostic } from "../util/diagnostics.js";
import { formatDiffReport } from "../diff/format.js";
import type { DiffResult } from "../diff/types.js";
import { formatDiagnostic, formatWarnings } from "./report.js";
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
 * A failure's exit code and diagnostics. A Node system error is reported as what it is (a full disk, no
 * permission, a missing folder), naming the path: those the user fixes by choosing paths or permissions are
 * usage errors (2), failures of the machine's storage are I/O errors (74, sysexits' EX_IOERR); anything
 * else is a bug of ours (70).
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
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    const known = SYSTEM_ERRORS[code];
    const where = typeof path === "string" ? ` (${path})` : "";
    const described = known === undefined ? message : `${known.what}${where}: ${message}`;
    const hint = known?.hint ?? "check the paths in the config and their permissions";
    const exitCode = known?.io === true ? ExitCode.io : ExitCode.usage;
    return {
      exitCode,
      message: described,
      diagnostics: [{ severity: "error", code: code.toLowerCase(), message: described, hint }],
      internal: false,
    };
  }
  return { exitCode: ExitCode.internal, message, diagnostics: [], internal: true };
}

/** What a Node system error means for the user, and whether the machine's storage failed (exit 74). */
const SYSTEM_ERRORS: Readonly<Record<string, { what: string; hint: string; io?: true }>> = {
  ENOSPC: { what: "no space left on the device", hint: "free some disk space, then run again", io: true },
  EDQUOT: { what: "the disk quota is exceeded", hint: "free some space in your quota, then run again", io: true },
  EIO: { what: "the storage device failed to read or write", hint: "check the disk (dmesg), then run again", io: true },
  EMFILE: { what: "too many open files", hint: "raise the open-file limit (ulimit -n)", io: true },
  ENFILE: { what: "the system has too many open files", hint: "close other programs, then run again", io: true },
  EACCES: {
    what: "permission denied",
    hint: "give your user write (or read) permission there, or choose another path",
  },
  EPERM: { what: "operation not permitted", hint: "give your user permission there, or choose another path" },
  EROFS: {
    what: "the file system is read-only",
    hint: "generate on a writable checkout; `generate --check` writes nothing",
  },
  ENOENT: { what: "no such file or folder", hint: "check the paths in the config" },
  ENOTDIR: { what: "a path in the way is a file, not a folder", hint: "check the paths in the config" },
  EISDIR: { what: "a folder is where a file should be", hint: "check the paths in the config" },
  EADDRINUSE: { what: "the port is in use", hint: "choose another --port (0 picks a free one)" },
};

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

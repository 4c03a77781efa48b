import type { Change, DiffResult } from "./types.js";

/**
 * `diff --json`'s document: exactly `{ "changes": [...], "breaking": <count> }`, each change with its
 * properties in the documented order and without the ones that do not apply.
 */
export function diffJson(result: DiffResult): { changes: Change[]; breaking: number } {
  return {
    changes: result.changes.map((change) => ({
      app: change.app,
      ...(change.action !== undefined ? { action: change.action } : {}),
      ...(change.field !== undefined ? { field: change.field } : {}),
      kind: change.kind,
      breaking: change.breaking,
      message: change.message,
      ...(change.option !== undefined ? { option: change.option } : {}),
      ...(change.before !== undefined ? { before: change.before } : {}),
      ...(change.after !== undefined ? { after: change.after } : {}),
    })),
    breaking: result.breaking,
  };
}

/** `3 changes in 2 apps: 1 breaking, 2 not breaking`, or `no changes`. */
export function formatDiffSummary(result: DiffResult): string {
  const total = result.changes.length;
  if (total === 0) return "no changes";
  const apps = new Set(result.changes.map((change) => change.app)).size;
  return `${count(total, "change")} in ${count(apps, "app")}: ${result.breaking} breaking, ${total - result.breaking} not breaking`;
}

/**
 * The changes as an aligned table grouped by app, then action; breaking rows start with `BREAKING`.
 *
 * ```
 * hubspot
 *   create_contact
 *     BREAKING  field-required  field "email" is now required
 *               field-added     optional field "phone" added (string)
 * ```
 */
export function formatDiffTable(changes: readonly Change[]): string[] {
  const kindWidth = Math.max(0, ...changes.map((change) => change.kind.length));
  const lines: string[] = [];
  let app: string | undefined;
  let action: string | undefined;
  for (const change of changes) {
    if (change.app !== app) {
      app = change.app;
      action = undefined;
      lines.push(printable(app));
    }
    if (change.action !== undefined && change.action !== action) {
      action = change.action;
      lines.push(`  ${printable(action)}`);
    }
    const indent = change.action === undefined ? "  " : "    ";
    const mark = change.breaking ? "BREAKING" : "";
    lines.push(`${indent}${mark.padEnd(8)}  ${change.kind.padEnd(kindWidth)}  ${printable(change.message)}`);
  }
  return lines;
}

/** The human report of a diff: the table and a summary line, or one line saying nothing changed. */
export function formatDiffReport(result: DiffResult, nothing = "no changes"): string[] {
  if (result.changes.length === 0) return [nothing];
  return [...formatDiffTable(result.changes), "", formatDiffSummary(result)];
}

/**
 * A deterministic markdown section for a changelog (no date: the same update always gives the same
 * text). Empty when nothing changed.
 *
 * ```md
 * ## refold.lock.json update
 *
 * 2 changes in 1 app: 1 breaking, 1 not breaking.
 *
 * ### hubspot
 *
 * - **BREAKING** `create_contact`: field "email" is now required
 * - `create_contact`: optional field "phone" added (string)
 * ```
 */
export function formatChangelog(result: DiffResult, title: string): string {
  if (result.changes.length === 0) return "";
  const lines = [`## ${markdownText(title)}`, "", `${formatDiffSummary(result)}.`];
  let app: string | undefined;
  for (const change of result.changes) {
    if (change.app !== app) {
      app = change.app;
      lines.push("", `### ${markdownText(app)}`, "");
    }
    const mark = change.breaking ? "**BREAKING** " : "";
    const where = change.action !== undefined ? `${codeSpan(change.action)}: ` : "";
    lines.push(`- ${mark}${where}${markdownText(change.message)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Appends a section to a changelog's text, separated by one blank line. */
export function appendSection(existing: string, section: string): string {
  if (existing.trim() === "") return section;
  return `${existing.replace(/\n*$/, "")}\n\n${section}`;
}

/**
 * Untrusted text for a terminal: control and format characters (ANSI escapes, bidi overrides) are
 * shown as `\u{...}` instead of being interpreted.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/** Untrusted text inside markdown: printable, one line, and markdown's active characters escaped. */
function markdownText(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>|~#&!]/g, (char) => `\\${char}`);
}

/** A code span that holds any text: the fence is longer than the longest run of backticks inside. */
function codeSpan(text: string): string {
  const flat = printable(text);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

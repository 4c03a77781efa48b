import { describeWhere, type Diagnostic } from "../util/diagnostics.js";
import type { ListedAction } from "../commands/list.js";
import type { StageTiming } from "../util/timing.js";
import type { OutputDiff } from "../write/output.js";

/** One diagnostic as a human line, with its hint on the next line. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = describeWhere(diagnostic);
  const status =
    diagnostic.status !== undefined && !diagnostic.message.includes(String(diagnostic.status))
      ? ` (HTTP ${diagnostic.status})`
      : "";
  const line = `${diagnostic.severity}: ${where ? `${where}: ` : ""}${diagnostic.message}${status}`;
  return diagnostic.hint ? `${line}\n  fix: ${diagnostic.hint}` : line;
}

/** Warnings are summarized when there are many of one kind, so real problems stay visible. */
export function formatWarnings(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === "warning").map(formatDiagnostic);
}

/** One line per output file that a write changed, or that a check found stale. */
export function formatOutputDiff(diff: OutputDiff, check: boolean): string[] {
  const [changed, added, removed] = check ? ["stale  ", "missing", "extra  "] : ["updated", "added  ", "deleted"];
  return [
    ...diff.changed.map((path) => `  ${changed} ${path}`),
    ...diff.added.map((path) => `  ${added} ${path}`),
    ...diff.removed.map((path) => `  ${removed} ${path}`),
  ];
}

/** `list` as an aligned table; long descriptions are cut to keep one row per action. */
export function formatActionTable(actions: readonly ListedAction[]): string {
  const rows = [
    ["ACTION ID", "KIND", "NAME", "DESCRIPTION"],
    ...actions.map((a) => [a.actionId, a.kind, a.name, oneLine(a.description, 60)]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `--verbose`: the wall time of each stage. */
export function formatTimings(timings: readonly StageTiming[]): string {
  const total = timings.reduce((sum, timing) => sum + timing.ms, 0);
  return [
    ...timings.map((t) => `  ${t.stage.padEnd(16)} ${t.ms.toFixed(1).padStart(8)} ms`),
    `  ${"total".padEnd(16)} ${total.toFixed(1).padStart(8)} ms`,
  ].join("\n");
}

/** Figures, targets, the printed table and the stable results file. */
import { round } from "./stats.js";

export type Unit = "ms" | "s" | "MB" | "calls/s" | "us" | "bytes" | "KB" | "count" | "x" | "%";

export interface Target {
  /** What is compared with the bound: the figure's value, or its ratio to the baseline. */
  on: "value" | "ratio";
  /** `<` and `>` are strict: "less memory than" is not met by an equal figure. */
  op: "<=" | ">=" | "<" | ">";
  bound: number;
  /** As the issue states it, e.g. ">= 8x faster than naive". */
  text: string;
}

export interface Figure {
  id: string;
  section: string;
  label: string;
  value: number;
  unit: Unit;
  baseline?: { label: string; value: number; unit: Unit };
  /** How the figure relates to its baseline, e.g. a speedup or a fraction. */
  ratio?: number;
  /** `x` (a factor) or `%` (ratio shown as a percentage). */
  ratioStyle?: "x" | "%";
  target?: Target;
  /** Set from the target; undefined when there is none. */
  met?: boolean;
  /** By how much a target is missed or beaten, in words. */
  margin?: string;
  note?: string;
}

/** Judges a figure against its target and fills `met` and `margin`. */
export function judge(figure: Figure): Figure {
  const { target } = figure;
  if (target === undefined) return figure;
  const actual = target.on === "ratio" ? figure.ratio : figure.value;
  if (actual === undefined || !Number.isFinite(actual)) return { ...figure, met: false, margin: "not measured" };
  const met =
    target.op === "<="
      ? actual <= target.bound
      : target.op === "<"
        ? actual < target.bound
        : target.op === ">="
          ? actual >= target.bound
          : actual > target.bound;
  const shown = `${fmtNumber(actual)} vs ${target.op} ${fmtNumber(target.bound)}`;
  let margin: string;
  if (target.bound === 0) margin = shown;
  else if (target.op === "<=" || target.op === "<")
    margin = `${shown}: ${fmtNumber(Math.abs(actual / target.bound - 1) * 100)}% ${met ? "under" : "over"} the bound`;
  else
    margin = `${shown}: ${fmtNumber(Math.abs(1 - actual / target.bound) * 100)}% ${met ? "above" : "short of"} the bound`;
  return { ...figure, met, margin };
}

export function fmtNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export function fmtValue(value: number, unit: Unit): string {
  if (unit === "ms" && Math.abs(value) >= 10_000) return `${fmtNumber(value / 1000)} s`;
  if (unit === "%") return `${fmtNumber(value)}%`;
  if (unit === "x") return `${fmtNumber(value)}x`;
  if (unit === "count") return Number.isInteger(value) ? value.toLocaleString("en-US") : fmtNumber(value);
  return `${fmtNumber(value)} ${unit}`;
}

function fmtRatio(figure: Figure): string {
  if (figure.ratio === undefined) return "";
  return figure.ratioStyle === "%" ? `${fmtNumber(figure.ratio * 100)}%` : `${fmtNumber(figure.ratio)}x`;
}

/** A plain-text table (also valid Markdown). */
export function formatTable(figures: readonly Figure[]): string {
  const header = ["section", "figure", "value", "baseline (same run)", "ratio", "target", "met"];
  const rows = figures.map((figure) => [
    figure.section,
    figure.label,
    fmtValue(figure.value, figure.unit),
    figure.baseline === undefined
      ? ""
      : `${figure.baseline.label}: ${fmtValue(figure.baseline.value, figure.baseline.unit)}`,
    fmtRatio(figure),
    figure.target?.text ?? "",
    figure.met === undefined ? "" : figure.met ? "met" : "NOT MET",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** JSON with object keys sorted at every level (arrays keep their order), two-space indented. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") {
    return typeof value === "number" ? round(value, 3) : value;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

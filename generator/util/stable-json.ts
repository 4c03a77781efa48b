import { createHash } from "node:crypto";

/** Locale-independent string ordering (UTF-16 code units), so output never depends on the machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON with object keys sorted by code unit, two-space indentation and a trailing newline:
 * the same value always gives the same bytes. Array order is kept: it carries meaning (field order).
 */
export function stableStringify(value: unknown): string {
  return `${write(value, "")}\n`;
}

/** A value's stable JSON as it appears nested at `indent` (no trailing newline): how the lock holds an app entry. */
export function stableStringifyAt(value: unknown, indent: string): string {
  return write(value, indent);
}

function write(value: unknown, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + write(item, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = Object.keys(value).sort(compareCodeUnits);
  const entries = keys
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${inner}${JSON.stringify(key)}: ${write((value as Record<string, unknown>)[key], inner)}`);
  return entries.length === 0 ? "{}" : `{\n${entries.join(",\n")}\n${indent}}`;
}

/** `sha256-<hex>` of a value's stable JSON. */
export function contentHash(value: unknown): string {
  return `sha256-${createHash("sha256").update(stableStringify(value)).digest("hex")}`;
}

/**
 * Sets an own enumerable property even for keys like `__proto__`, which plain assignment would turn
 * into a prototype change. Every map keyed by untrusted ids is written through this.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

import { createHash } from "node:crypto";
import { setOwn } from "./records.js";

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

function write(value: unknown, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + write(item, inner)).join(",\n")}\n${indent}]`;
  }
  const keys = sortedKeys(value);
  const entries = keys
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${inner}${JSON.stringify(key)}: ${write((value as Record<string, unknown>)[key], inner)}`);
  return entries.length === 0 ? "{}" : `{\n${entries.join(",\n")}\n${indent}}`;
}

// sort() without a comparator orders strings by UTF-16 code units, exactly as compareCodeUnits does, and
// makes no call into JavaScript per comparison: over a lock of megabytes that is a measurable share.
function sortedKeys(value: object): string[] {
  return Object.keys(value).sort();
}

/** A deep copy in stable-JSON form (see `stableCopy`), and whether the engine's serializer writes it exactly. */
export interface StableCopy<T> {
  value: T;
  /**
   * True when `JSON.stringify(value, null, 2)` gives exactly `stableStringify(value)` without its trailing
   * newline, several times faster. False when a key is an integer index (engines list those first, in
   * numeric order, whatever the insertion order) or a value is not JSON data.
   */
  exact: boolean;
}

/**
 * Keys an engine may treat as array indices and list before the others, in numeric order. Wider than the
 * exact rule (canonical integers below 2^32 - 1): a false alarm only costs the slower, always exact, writer.
 */
export function isIndexLike(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key);
}

/**
 * A deep copy of JSON data as reading its stable JSON back would give it: every object's keys inserted in
 * code-unit order, keys whose value is undefined dropped, undefined array items as null, -0 as 0. Code
 * that walks the copy's keys (field order from a `properties` map) thus sees what it would see after a
 * round trip through the lock file. Objects and values that are not JSON data are kept as they are.
 */
export function stableCopy<T>(value: T): StableCopy<T> {
  const state = { exact: true };
  return { value: copyValue(value, state) as T, exact: state.exact };
}

function copyValue(value: unknown, state: { exact: boolean }): unknown {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "number") return Object.is(value, -0) ? 0 : value;
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") state.exact = false;
    return value;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      copy.push(item === undefined ? null : copyValue(item, state));
    }
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    state.exact = false;
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    if (isIndexLike(key)) state.exact = false;
    // Assignment is much cheaper than defineProperty; only "__proto__" would turn it into a prototype change.
    if (key === "__proto__") setOwn(copy, key, copyValue(item, state));
    else copy[key] = copyValue(item, state);
  }
  return copy;
}

/** `sha256-<hex>` of a value's stable JSON. */
export function contentHash(value: unknown): string {
  return `sha256-${createHash("sha256").update(stableStringify(value)).digest("hex")}`;
}

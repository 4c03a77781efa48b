import { literal, propertyKey } from "./escape.js";
import type { SourceWriter } from "./writer.js";

/** A JavaScript value to print as a literal: primitives, arrays, and objects with ordered entries. */
export type LiteralValue = string | number | boolean | readonly LiteralValue[] | LiteralObject;

/** An object literal whose entries keep their order; values that are `undefined` are left out. */
export interface LiteralObject {
  readonly entries: readonly (readonly [string, LiteralValue | undefined])[];
  /** Always one entry per line, even when the object would fit on one (prettier keeps that choice). */
  readonly expanded?: boolean;
}

function isObject(value: LiteralValue): value is LiteralObject {
  return typeof value === "object" && !Array.isArray(value);
}

function presentEntries(value: LiteralObject): (readonly [string, LiteralValue])[] {
  return value.entries.filter((entry): entry is readonly [string, LiteralValue] => entry[1] !== undefined);
}

/** The value on one line, or undefined when prettier would never print it flat. */
function flat(value: LiteralValue): string | undefined {
  if (typeof value !== "object") return literal(value);
  if (Array.isArray(value)) {
    const items = value as readonly LiteralValue[];
    if (mustBreakArray(items)) return undefined;
    const parts = items.map(flat);
    return parts.every((part) => part !== undefined) ? `[${parts.join(", ")}]` : undefined;
  }
  const object = value as LiteralObject;
  const entries = presentEntries(object);
  if (entries.length === 0) return "{}";
  if (object.expanded) return undefined;
  const parts = entries.map(([key, child]) => {
    const text = flat(child);
    return text === undefined ? undefined : `${propertyKey(key)}: ${text}`;
  });
  return parts.every((part) => part !== undefined) ? `{ ${parts.join(", ")} }` : undefined;
}

/** Prettier always breaks an array of two or more objects (or arrays) that each have more than one entry. */
function mustBreakArray(items: readonly LiteralValue[]): boolean {
  return (
    items.length > 1 &&
    items.every((item) => (Array.isArray(item) ? item.length > 1 : isObject(item) && presentEntries(item).length > 1))
  );
}

/** Prettier keeps `key: value` on one line when the key is narrower than this (tab width + 3). */
const SHORT_KEY = 5;

/**
 * Writes `prefix` + value + `suffix` the way prettier lays it out: flat when it fits, else broken one
 * entry per line, recursively. A string that does not fit after `key: ` moves to the next line.
 */
export function writeLiteral(w: SourceWriter, prefix: string, value: LiteralValue, suffix: string): void {
  const oneLine = flat(value);
  if (oneLine !== undefined && w.fits(`${prefix}${oneLine}${suffix}`)) {
    w.line(`${prefix}${oneLine}${suffix}`);
    return;
  }
  if (typeof value !== "object") {
    // Only `key: value` can break (after the colon), and prettier leaves a short key (under 5 columns) alone.
    if (prefix.endsWith(": ") && prefix.trimStart().length - 2 >= SHORT_KEY) {
      w.line(prefix.trimEnd());
      w.indented(() => w.line(`${literal(value)}${suffix}`));
    } else {
      w.line(`${prefix}${literal(value)}${suffix}`);
    }
    return;
  }
  // An opener that cannot fit has no layout the writer knows: prettier must decide.
  if (!w.fits(`${prefix}{`)) w.unsure = true;
  if (Array.isArray(value)) {
    const items = value as readonly LiteralValue[];
    if (items.length > 0 && items.every((item) => typeof item === "number")) w.unsure = true; // prettier fills number arrays
    w.line(`${prefix}[`);
    w.indented(() => items.forEach((item) => writeLiteral(w, "", item, ",")));
    w.line(`]${suffix}`);
    return;
  }
  const object = value as LiteralObject;
  w.line(`${prefix}{`);
  w.indented(() =>
    presentEntries(object).forEach(([key, child]) => writeLiteral(w, `${propertyKey(key)}: `, child, ",")),
  );
  w.line(`}${suffix}`);
}

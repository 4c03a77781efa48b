import type { Field, OptionValue, TypeNode } from "../model/types.js";

/*
 * Widening. Parameters are inputs: a new type is safe for existing callers when every value the old
 * type accepted is still accepted (old ⊆ new). Then the change is `type-widened`, otherwise
 * `type-changed` (breaking). On normalized types (model/types.ts):
 *
 * - anything -> `unknown`;
 * - anything JSON-shaped -> `json` (string, number, boolean, select, arrays and objects of those;
 *   not `unknown`);
 * - a select -> `string` / `number` / `boolean` when every option value has that type
 *   (`"a" | "b"` -> string widens, `"1" | 2` -> string does not);
 * - a select -> a select with more options (reported option by option as `option-added`);
 * - `T[]` -> `U[]` when T -> U widens;
 * - an object -> an object when every old field still exists with a widened type and no field that
 *   was optional (or absent) is now required; an object with declared fields -> an open object
 *   (`{ [key: string]: JsonValue }`) when its fields are JSON-shaped.
 *
 * Everything else narrows or is incompatible: `string` -> select, `json` -> anything but `unknown`,
 * `unknown` -> anything, `number` <-> `string` <-> `boolean`, `T` <-> `T[]`, an open object -> declared
 * fields. A select's single/list switch is its own kind, `multiple-changed` (breaking either way).
 */

/**
 * A select that takes several values is the same TypeScript type as an array of a single select
 * (`readonly ("a" | "b")[]`), whichever way the API spelled it; comparisons see both as the latter.
 */
export function canonical(type: TypeNode): TypeNode {
  return type.kind === "enum" && type.multiple
    ? { kind: "array", items: { kind: "enum", values: type.values, multiple: false } }
    : type;
}

/** Option identity: `3` and `"3"` are different options (they are different literals in the union). */
export function optionKey(value: OptionValue): string {
  return `${typeof value}:${String(value)}`;
}

/** Whether every value `before` accepts is accepted by `after`. */
export function widens(before: TypeNode, after: TypeNode): boolean {
  const a = canonical(before);
  const b = canonical(after);
  if (equalType(a, b) || b.kind === "unknown") return true;
  if (b.kind === "json") return jsonShaped(a);
  switch (a.kind) {
    case "enum":
      if (b.kind === "enum") {
        const keys = new Set(b.values.map(optionKey));
        return a.values.every((value) => keys.has(optionKey(value)));
      }
      if (b.kind === "string" || b.kind === "number" || b.kind === "boolean")
        return a.values.every((value) => typeof value === b.kind);
      return false;
    case "array":
      return b.kind === "array" && widens(a.items, b.items);
    case "object": {
      if (b.kind !== "object") return false;
      if (b.fields.length === 0) return jsonShaped(a);
      if (a.fields.length === 0) return false;
      const old = byName(a.fields);
      const now = byName(b.fields);
      return (
        b.fields.every((field) => !field.required || old.get(field.name)?.required === true) &&
        a.fields.every((field) => {
          const next = now.get(field.name);
          return next !== undefined && widens(field.type, next.type);
        })
      );
    }
    default:
      return false;
  }
}

/** Structural equality of normalized types: field order, option order and documentation do not count. */
export function equalType(before: TypeNode, after: TypeNode): boolean {
  const a = canonical(before);
  const b = canonical(after);
  switch (a.kind) {
    case "enum": {
      if (b.kind !== "enum" || a.values.length !== b.values.length) return false;
      const keys = new Set(b.values.map(optionKey));
      return a.values.every((value) => keys.has(optionKey(value)));
    }
    case "array":
      return b.kind === "array" && equalType(a.items, b.items);
    case "object": {
      if (b.kind !== "object" || a.fields.length !== b.fields.length) return false;
      const others = byName(b.fields);
      return a.fields.every((field) => {
        const other = others.get(field.name);
        return other !== undefined && other.required === field.required && equalType(field.type, other.type);
      });
    }
    default:
      return a.kind === b.kind;
  }
}

/** A value of this type is always JSON (so `JsonValue` accepts it). */
function jsonShaped(type: TypeNode): boolean {
  switch (type.kind) {
    case "unknown":
      return false;
    case "array":
      return jsonShaped(type.items);
    case "object":
      return type.fields.every((field) => jsonShaped(field.type));
    default:
      return true;
  }
}

/** Fields by name; the normalizer already keeps only the first of duplicate names. */
export function byName(fields: readonly Field[]): Map<string, Field> {
  const map = new Map<string, Field>();
  for (const field of fields) if (!map.has(field.name)) map.set(field.name, field);
  return map;
}

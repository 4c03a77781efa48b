import type { OptionValue, TypeNode } from "../model/types.js";

/** Enum unions longer than this are shown as their first values and a count. */
const MAX_VALUES = 6;

/** A short, TypeScript-like text of a normalized type, for messages: `string`, `"a" | "b"`, `number[]`. */
export function describeType(type: TypeNode): string {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "unknown":
      return type.kind;
    case "json":
      return "JsonValue";
    case "enum": {
      const shown = type.values.slice(0, MAX_VALUES).map(quoteValue);
      if (type.values.length > MAX_VALUES) shown.push(`... (${type.values.length} options)`);
      const union = shown.join(" | ");
      return type.multiple ? `(${union})[]` : union;
    }
    case "object":
      return type.fields.length === 0
        ? "object"
        : `{ ${type.fields.map((field) => `${quoteName(field.name)}${field.required ? "" : "?"}`).join(", ")} }`;
    case "array": {
      const items = describeType(type.items);
      return /^[\w$]+$/.test(items) || items.startsWith("{") ? `${items}[]` : `(${items})[]`;
    }
  }
}

/** A name or text in double quotes, JSON-escaped (so control characters stay visible), cut when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** An option value as its literal: `"3"` for a string, `3` for a number. */
export function quoteValue(value: OptionValue): string {
  return typeof value === "string" ? quote(value) : String(value);
}

/** The JSON value of a JSON text (a field's raw default), or undefined when there is none. */
export function jsonValueOf(json: string | undefined): unknown {
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
}

function quoteName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

import type { Field, TypeNode } from "../model/types.js";
import { literal, propertyKey } from "./escape.js";

/** The TypeScript type for a normalized parameter type, on one line. Nested objects are closed. */
export function typeText(type: TypeNode): string {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "unknown":
      return type.kind;
    case "json":
      return "JsonValue";
    case "enum": {
      const union = type.values.map(literal).join(" | ");
      return type.multiple ? `readonly ${type.values.length > 1 ? `(${union})` : union}[]` : union;
    }
    case "object":
      return objectText(type.fields);
    case "array": {
      const items = typeText(type.items);
      return needsParens(type.items) ? `readonly (${items})[]` : `readonly ${items}[]`;
    }
  }
}

/** An object type on one line (the app module writes objects with fields as blocks of documented members). */
function objectText(fields: readonly Field[]): string {
  if (fields.length === 0) return "{ [key: string]: JsonValue | undefined }";
  const members = fields.map(
    (field) => `${propertyKey(field.name)}${field.required ? "" : "?"}: ${typeText(field.type)};`,
  );
  return `{ ${members.join(" ")} }`;
}

/** An array's item type needs parentheses when it is a union or itself a (readonly) array. */
function needsParens(items: TypeNode): boolean {
  if (items.kind === "array") return true;
  return items.kind === "enum" && (items.multiple || items.values.length > 1);
}

/**
 * A union of select values (possibly inside arrays) cut where it can break across lines: the text before
 * the members, the members, the text after them. `typeText` is `open + members.join(" | ") + close`.
 */
export function splitUnion(type: TypeNode): { open: string; members: string[]; close: string } | undefined {
  if (type.kind === "enum" && type.values.length > 1) {
    const members = type.values.map(literal);
    return type.multiple ? { open: "readonly (", members, close: ")[]" } : { open: "", members, close: "" };
  }
  if (type.kind === "array") {
    const inner = splitUnion(type.items);
    if (inner !== undefined)
      return { open: `readonly (${inner.open}`, members: inner.members, close: `${inner.close})[]` };
  }
  return undefined;
}

/** Whether a type needs the `JsonValue` import. */
export function usesJson(type: TypeNode): boolean {
  if (type.kind === "json") return true;
  if (type.kind === "object") return type.fields.length === 0 || type.fields.some((field) => usesJson(field.type));
  if (type.kind === "array") return usesJson(type.items);
  return false;
}

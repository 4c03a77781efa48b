import type { Field, TypeNode } from "../model/types.js";
import { literal, propertyKey } from "./escape.js";

/** The TypeScript type for a normalized parameter type. Nested objects are inline and closed. */
export function typeText(type: TypeNode, indent = ""): string {
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
      return objectText(type.fields, indent);
    case "array": {
      const items = typeText(type.items, indent);
      return needsParens(type.items) ? `readonly (${items})[]` : `readonly ${items}[]`;
    }
  }
}

function objectText(fields: readonly Field[], indent: string): string {
  if (fields.length === 0) return "{ [key: string]: JsonValue | undefined }";
  const inner = `${indent}  `;
  const members = fields.map(
    (field) => `${inner}${propertyKey(field.name)}${field.required ? "" : "?"}: ${typeText(field.type, inner)};`,
  );
  return `{\n${members.join("\n")}\n${indent}}`;
}

/** An array's item type needs parentheses when it is a union or itself a (readonly) array. */
function needsParens(items: TypeNode): boolean {
  if (items.kind === "array") return true;
  return items.kind === "enum" && (items.multiple || items.values.length > 1);
}

/** Whether a type needs the `JsonValue` import. */
export function usesJson(type: TypeNode): boolean {
  if (type.kind === "json") return true;
  if (type.kind === "object") return type.fields.length === 0 || type.fields.some((field) => usesJson(field.type));
  if (type.kind === "array") return usesJson(type.items);
  return false;
}

import { cleanText } from "../emit/escape.js";
import type { Field, OptionValue, TypeNode } from "../model/types.js";
import { setOwn } from "../util/records.js";

/*
 * JSON Schema (draft 2020-12) of action parameters, from the normalized model. The schemas only use keywords
 * OpenAI, Anthropic and OpenAPI 3.1 all understand: type, description, enum, items, properties, required,
 * additionalProperties, default. Wire names (property names, option values) are kept exactly; texts go
 * through cleanText (no control, invisible or bidi characters). JSON.stringify does all the escaping.
 */

/** The dialect every emitted schema is written in. */
export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** A JSON Schema object; keys are inserted in the order they are printed. */
export type JsonSchema = { [key: string]: unknown };

/** The closed object schema of an action's (or a nested object's) fields. */
export function objectSchema(fields: readonly Field[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of fields) setOwn(properties, field.name, fieldSchema(field));
  const required = fields.filter((field) => field.required).map((field) => field.name);
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** One field's schema: its type's, with a description and a default where the model has them. */
export function fieldSchema(field: Field): JsonSchema {
  const { type, ...rest } = typeSchema(field.type);
  const description = fieldDescription(field);
  const fallback = parseDefault(field.defaultJson);
  return {
    ...(type !== undefined ? { type } : {}),
    ...(description !== "" ? { description } : {}),
    ...rest,
    ...(fallback.found ? { default: fallback.value } : {}),
  };
}

/** The schema of a type: `{}` (any value) for `json` and `unknown`. */
export function typeSchema(node: TypeNode): JsonSchema {
  switch (node.kind) {
    case "string":
    case "number":
    case "boolean":
      return { type: node.kind };
    case "json":
    case "unknown":
      return {};
    case "enum": {
      const one = { ...enumType(node.values), enum: [...node.values] };
      return node.multiple ? { type: "array", items: one } : one;
    }
    case "object":
      return objectSchema(node.fields);
    case "array":
      return { type: "array", items: typeSchema(node.items) };
  }
}

/** `type` of an enum whose values share one JSON type (it helps models and strict validators), else nothing. */
function enumType(values: readonly OptionValue[]): { type?: string } {
  const types = new Set(values.map((value) => typeof value));
  const [only] = types;
  return types.size === 1 && only !== undefined ? { type: only } : {};
}

/** The field's label, description, example, option labels and (for open types) what it accepts, one per line. */
export function fieldDescription(field: Field): string {
  const lines: string[] = [];
  if (field.label !== undefined) lines.push(field.label);
  if (field.description !== undefined && field.description !== field.label) lines.push(field.description);
  if (field.placeholder !== undefined) lines.push(`Example: ${field.placeholder}`);
  const labelled = (field.options ?? []).filter(
    (option) => option.label !== undefined && option.label !== String(option.value),
  );
  if (labelled.length > 0)
    lines.push(`Options: ${labelled.map((option) => `${JSON.stringify(option.value)} (${option.label})`).join(", ")}`);
  if (field.type.kind === "json") lines.push("Any JSON value.");
  if (field.type.kind === "unknown")
    lines.push(field.rawType === "" ? "Untyped: any value." : `Refold type "${field.rawType}": any value.`);
  return cleanDescription(lines.join("\n"));
}

/** Untrusted text made fit for a description: cleaned, trimmed, blank lines dropped. */
export function cleanDescription(text: string): string {
  return cleanText(text)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n");
}

function parseDefault(json: string | undefined): { found: boolean; value?: unknown } {
  if (json === undefined) return { found: false };
  try {
    return { found: true, value: JSON.parse(json) as unknown };
  } catch {
    return { found: false };
  }
}

import { encodeShape, type EncodedShape } from "../../templates/runtime/results.js";
import type { Field, ModelAction, TypeNode } from "../model/types.js";
import type { Shape } from "../results/shape.js";

/*
 * The runtime's description of each action, for local validation, and its names for the `<app>Actions` list:
 * one JSON row per action in each of two tables, written into the module as one string (escape.ts
 * `jsonLiteral`) and read by the runtime's `defineApp` and `listActions` (templates/runtime/bind.ts documents
 * the format). A string costs the type checker nothing to infer, where the same data as object literals was
 * most of its work on a large client.
 */

/** A JSON value of the table: what `JSON.stringify` writes and `JSON.parse` gives back unchanged. */
export type TableValue = string | number | boolean | readonly TableValue[];

/** One action's row: `[actionId, kind, ...fields]`. */
export function actionRow(action: ModelAction): TableValue[] {
  return [action.id, action.kind, ...action.fields.map(encodeField)];
}

/** One action's entry of the names table, which only the `<app>Actions` list reads: `[name, description]`. */
export function nameRow(action: ModelAction): TableValue[] {
  return [action.name, action.description];
}

/**
 * A recorded result shape as the drift check reads it (templates/runtime/results.ts `EncodedShape`): kinds,
 * required and optional keys, map values; no string formats, which the check never reads.
 */
export function resultRow(shape: Shape): EncodedShape {
  return encodeShape(shape);
}

/** A field: its name alone when it is an optional string (the commonest), else `[name, type]`. */
function encodeField(field: Field): TableValue {
  if (field.type.kind === "string" && !field.required) return field.name;
  const type = encodeType(field.type);
  if (!field.required) return [field.name, type];
  // `!` before the code marks the field required.
  return [field.name, typeof type === "string" ? `!${type}` : [`!${String(type[0])}`, ...type.slice(1)]];
}

function encodeType(type: TypeNode): string | TableValue[] {
  switch (type.kind) {
    case "string":
      return "s";
    case "number":
      return "n";
    case "boolean":
      return "b";
    case "json":
      return "j";
    case "unknown":
      return "u";
    case "enum":
      return [type.multiple ? "m" : "e", ...type.values];
    case "object":
      return ["o", ...type.fields.map(encodeField)];
    case "array":
      return ["a", encodeType(type.items)];
  }
}

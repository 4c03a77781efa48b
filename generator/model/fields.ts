import type { Diagnostic, Where } from "../util/diagnostics.js";
import type { Field, FieldOption, OptionValue, TypeNode } from "./types.js";
import { isRecord } from "../util/records.js";

/** Raw `type` values that all mean "a string". */
const STRING_TYPES = new Set([
  "text",
  "string",
  "email",
  "url",
  "textarea",
  "password",
  "date",
  "datetime",
  "time",
  "phone",
]);
const NUMBER_TYPES = new Set(["number", "integer", "float", "int"]);
const BOOLEAN_TYPES = new Set(["boolean", "bool", "checkbox"]);
const JSON_TYPES = new Set(["json"]);
const SELECT_TYPES = new Set(["select", "multiselect", "multi_select", "dropdown", "enum"]);
const OBJECT_TYPES = new Set(["object"]);
const ARRAY_TYPES = new Set(["array", "list"]);

/** Keys under which nested fields of an object (or array of objects) may arrive; their serialization is unpublished. */
const NESTED_KEYS = ["fields", "properties", "children", "parameters", "schema"] as const;
/** Nested fields deeper than this are typed as `unknown` rather than recursed into. */
const MAX_DEPTH = 32;

/** The result of normalizing one action's parameter payload. */
export interface NormalizedFields {
  fields: Field[];
  diagnostics: Diagnostic[];
}

/**
 * Turns an action's raw parameter payload (a bare array, or `{ parameters: [...] }`) into fields.
 * Tolerant of everything the API might send; reports what it had to guess as warnings and what it
 * cannot use at all as errors.
 */
export function normalizeParameters(raw: unknown, where: Where): NormalizedFields {
  const diagnostics: Diagnostic[] = [];
  const list = parameterList(raw);
  if (list === undefined) {
    diagnostics.push({
      ...where,
      severity: "error",
      code: "bad-parameters",
      message: `expected an array of parameters (or { "parameters": [...] }), got ${describeJson(raw)}`,
      hint: "pull again with `generate --refresh`; if it persists, the server answers a shape this tool does not know",
    });
    return { fields: [], diagnostics };
  }
  return { fields: normalizeList(list, where, diagnostics, 0), diagnostics };
}

function parameterList(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw as unknown[];
  if (isRecord(raw) && Array.isArray(raw["parameters"])) return raw["parameters"] as unknown[];
  return undefined;
}

function normalizeList(list: readonly unknown[], where: Where, diagnostics: Diagnostic[], depth: number): Field[] {
  const fields: Field[] = [];
  const seen = new Set<string>();
  list.forEach((item, index) => {
    if (!isRecord(item) || typeof item["name"] !== "string") {
      diagnostics.push({
        ...where,
        severity: "warning",
        code: "bad-field",
        message: `parameter #${index} has no string "name" and was skipped: ${describeJson(item)}`,
      });
      return;
    }
    const name = item["name"];
    if (seen.has(name)) {
      diagnostics.push({
        ...where,
        field: name,
        severity: "warning",
        code: "duplicate-field",
        message: `field "${name}" appears more than once; the first is kept`,
      });
      return;
    }
    seen.add(name);
    fields.push(normalizeField(item, name, { ...where, field: prefixField(where.field, name) }, diagnostics, depth));
  });
  return fields;
}

function normalizeField(
  item: Record<string, unknown>,
  name: string,
  where: Where,
  diagnostics: Diagnostic[],
  depth: number,
): Field {
  const rawType = typeof item["type"] === "string" ? item["type"] : "";
  const field: Field = {
    name,
    required: toBoolean(item["required"]),
    type: typeOf(item, rawType, where, diagnostics, depth),
    rawType,
  };
  const label = text(item["label"]);
  if (label !== undefined) field.label = label;
  const description = text(item["description"]) ?? text(item["help_text"]);
  if (description !== undefined) field.description = description;
  const placeholder = text(item["placeholder"]);
  if (placeholder !== undefined) field.placeholder = placeholder;
  if (item["default"] !== undefined) field.defaultJson = JSON.stringify(item["default"]);
  const options = optionsOf(item["options"]);
  if (options.length > 0) field.options = options;
  return field;
}

function typeOf(
  item: Record<string, unknown>,
  rawType: string,
  where: Where,
  diagnostics: Diagnostic[],
  depth: number,
): TypeNode {
  const type = rawType.trim().toLowerCase();
  if (STRING_TYPES.has(type)) return { kind: "string" };
  if (NUMBER_TYPES.has(type)) return { kind: "number" };
  if (BOOLEAN_TYPES.has(type)) return { kind: "boolean" };
  if (JSON_TYPES.has(type)) return { kind: "json" };
  if (SELECT_TYPES.has(type)) return selectType(item, type, where, diagnostics);
  if (OBJECT_TYPES.has(type)) return objectType(item, where, diagnostics, depth);
  if (ARRAY_TYPES.has(type)) return arrayType(item, where, diagnostics, depth);
  diagnostics.push({
    ...where,
    severity: "warning",
    code: "unknown-type",
    message:
      rawType === ""
        ? "the field has no type; typed as unknown"
        : `unknown parameter type "${rawType}"; typed as unknown`,
  });
  return { kind: "unknown" };
}

function selectType(item: Record<string, unknown>, type: string, where: Where, diagnostics: Diagnostic[]): TypeNode {
  const multiple = toBoolean(item["multiple"]) || type.startsWith("multi");
  const values = uniqueValues(optionsOf(item["options"]).map((option) => option.value));
  if (values.length === 0) {
    diagnostics.push({
      ...where,
      severity: "warning",
      code: "select-without-options",
      message: "select field has no options; typed as string",
    });
    return multiple ? { kind: "array", items: { kind: "string" } } : { kind: "string" };
  }
  return { kind: "enum", values, multiple };
}

function objectType(item: Record<string, unknown>, where: Where, diagnostics: Diagnostic[], depth: number): TypeNode {
  const nested = nestedList(item);
  if (nested === undefined) return { kind: "json" };
  if (depth >= MAX_DEPTH) return tooDeep(where, diagnostics);
  return { kind: "object", fields: normalizeList(nested, where, diagnostics, depth + 1) };
}

function arrayType(item: Record<string, unknown>, where: Where, diagnostics: Diagnostic[], depth: number): TypeNode {
  if (depth >= MAX_DEPTH) return tooDeep(where, diagnostics);
  const items = item["items"];
  if (typeof items === "string")
    return { kind: "array", items: typeOf({ type: items }, items, where, diagnostics, depth + 1) };
  if (isRecord(items)) {
    const itemType = typeof items["type"] === "string" ? items["type"] : nestedList(items) ? "object" : "json";
    return { kind: "array", items: typeOf(items, itemType, where, diagnostics, depth + 1) };
  }
  const nested = nestedList(item);
  if (nested !== undefined)
    return { kind: "array", items: { kind: "object", fields: normalizeList(nested, where, diagnostics, depth + 1) } };
  return { kind: "array", items: { kind: "json" } };
}

function tooDeep(where: Where, diagnostics: Diagnostic[]): TypeNode {
  diagnostics.push({
    ...where,
    severity: "warning",
    code: "too-deep",
    message: `nested deeper than ${MAX_DEPTH} levels; typed as unknown`,
  });
  return { kind: "unknown" };
}

/** Nested fields as a list of parameter objects, from an array or a `{ name: {...} }` map. */
function nestedList(item: Record<string, unknown>): unknown[] | undefined {
  for (const key of NESTED_KEYS) {
    const value = item[key];
    if (Array.isArray(value)) return value as unknown[];
    if (isRecord(value)) {
      if (key === "schema")
        return isRecord(value["properties"]) ? mapToList(value["properties"], value["required"]) : undefined;
      return mapToList(value, item["required"]);
    }
  }
  return undefined;
}

function mapToList(map: Record<string, unknown>, required: unknown): unknown[] {
  const requiredNames = Array.isArray(required)
    ? new Set(required.filter((name) => typeof name === "string"))
    : new Set<string>();
  return Object.entries(map).map(([name, value]) => ({
    ...(isRecord(value) ? value : { type: typeof value === "string" ? value : "" }),
    name,
    ...(requiredNames.has(name) ? { required: true } : {}),
  }));
}

function optionsOf(raw: unknown): FieldOption[] {
  if (!Array.isArray(raw)) return [];
  const options: FieldOption[] = [];
  for (const option of raw) {
    if (isOptionValue(option)) {
      options.push({ value: option });
    } else if (isRecord(option) && isOptionValue(option["value"])) {
      const label = text(option["name"]) ?? text(option["label"]);
      options.push(label === undefined ? { value: option["value"] } : { value: option["value"], label });
    }
  }
  return options;
}

function uniqueValues(values: readonly OptionValue[]): OptionValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = `${typeof value}:${String(value)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isOptionValue(value: unknown): value is OptionValue {
  return (
    typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean"
  );
}

/** `required` arrives as a boolean, and sometimes as `"true"`, `"false"`, 1 or 0. */
function toBoolean(value: unknown): boolean {
  if (typeof value === "string") return value.trim().toLowerCase() === "true" || value.trim() === "1";
  return value === true || value === 1;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function prefixField(parent: string | undefined, name: string): string {
  return parent === undefined ? name : `${parent}.${name}`;
}

function describeJson(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

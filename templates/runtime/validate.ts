/**
 * Local validation of parameters against an action's fields, for callers in plain JavaScript (or
 * with `as any`): a wrong call fails here, naming the field, instead of costing a request.
 */

import type { FieldSpec } from "./types.js";

/** Where validation failed: the field's path and why. */
export interface ValidationProblem {
  readonly field: string;
  readonly reason: string;
}

const MAX_DEPTH = 64;

/** True for `{}`-like objects (not arrays, dates, class instances or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The first problem found in `params` for an action with these fields, or undefined when valid. */
export function validateParams(params: unknown, fields: readonly FieldSpec[]): ValidationProblem | undefined {
  if (params === undefined) params = {};
  if (!isPlainObject(params)) return problem("must be a plain object");
  return validateObject(params, fields, 0);
}

// Every check runs on each call, so a valid value costs no string and no closure: a problem names the path
// from the value it was found in, and each level it passes on the way up puts its key in front (`inside`).

function problem(reason: string): ValidationProblem {
  return { field: "", reason };
}

/** A problem found within `key` (a field's name, or `[index]`), with its path from here. */
function inside(key: string, found: ValidationProblem): ValidationProblem {
  const rest = found.field;
  return { field: rest === "" ? key : rest.charAt(0) === "[" ? key + rest : `${key}.${rest}`, reason: found.reason };
}

type ItemCheck = (item: unknown, field: FieldSpec, depth: number) => ValidationProblem | undefined;

/** The first problem among the items of an array, each checked by `check`. */
function firstInArray(items: readonly unknown[], field: FieldSpec, depth: number, check: ItemCheck) {
  for (let index = 0; index < items.length; index++) {
    const found = check(items[index], field, depth);
    if (found) return inside(`[${index}]`, found);
  }
  return undefined;
}

function validateObject(
  value: Record<string, unknown>,
  fields: readonly FieldSpec[],
  depth: number,
): ValidationProblem | undefined {
  let present = 0;
  for (const field of fields) {
    // Own properties only: a field named `constructor` or `toString` must not find Object.prototype's.
    const own = hasOwn(value, field.name);
    if (own) present++;
    const found = validateField(own ? value[field.name] : undefined, field, depth);
    if (found) return inside(field.name, found);
  }
  // With no declared fields (e.g. a raw passthrough) any key may be right; otherwise a stray key is a typo,
  // looked for by name only when there are more keys than fields found.
  if (fields.length === 0 || present === Object.keys(value).length) return undefined;
  const stray = Object.keys(value).find((key) => value[key] !== undefined && !fields.some((f) => f.name === key));
  if (stray === undefined) return undefined;
  const known = fields.map((field) => field.name).join(", ");
  return { field: stray, reason: `is not a parameter of this action (expected one of: ${known})` };
}

/** A field's value, which may be absent. */
function validateField(value: unknown, field: FieldSpec, depth: number): ValidationProblem | undefined {
  if (isAbsent(value, field)) return field.required ? problem("is required") : undefined;
  return validateValue(value, field, depth);
}

function validateValue(value: unknown, field: FieldSpec, depth: number): ValidationProblem | undefined {
  if (depth > MAX_DEPTH) return problem("is nested too deeply");
  if (field.multiple && field.type !== "array") {
    if (!Array.isArray(value)) return problem(`must be an array${describeValues(field, " of: ")}`);
    return firstInArray(value, field, depth + 1, validateSingle);
  }
  return validateSingle(value, field, depth);
}

function validateSingle(value: unknown, field: FieldSpec, depth: number): ValidationProblem | undefined {
  if (field.values && field.values.length > 0) {
    return field.values.includes(value as string) ? undefined : problem(describeValues(field, "must be one of: "));
  }
  switch (field.type) {
    case "string":
    case "number":
    case "boolean":
      return typeof value === field.type && (typeof value !== "number" || Number.isFinite(value))
        ? undefined
        : problem(`must be a ${field.type}`);
    case "object":
      if (!isPlainObject(value)) return problem("must be an object");
      return field.fields ? validateObject(value, field.fields, depth + 1) : jsonProblem(value, depth);
    case "array":
      if (!Array.isArray(value)) return problem("must be an array");
      return field.items ? firstInArray(value, field.items, depth + 1, validateItem) : jsonProblem(value, depth);
    default:
      // "json", "unknown" and any type a newer generator may add: anything that serializes as JSON.
      return jsonProblem(value, depth);
  }
}

/** An item of an array field with a declared item type. */
function validateItem(item: unknown, items: FieldSpec, depth: number): ValidationProblem | undefined {
  return isAbsent(item, items) ? problem("must not be empty") : validateValue(item, items, depth);
}

function describeValues(field: FieldSpec, prefix: string): string {
  if (!field.values || field.values.length === 0) return "";
  return prefix + field.values.map((option) => JSON.stringify(option)).join(", ");
}

/** Own keys only, never a prototype's (`Object.hasOwn` is newer than the ES2020 library the runtime compiles against). */
export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** No value: undefined, or null where the type needs one (JSON and unknown values may be null). */
function isAbsent(value: unknown, field: FieldSpec): boolean {
  return value === undefined || (value === null && field.type !== "json" && field.type !== "unknown");
}

/** A problem when `value` would not survive JSON serialization as given (functions, bigint, NaN, cycles). */
function jsonProblem(value: unknown, depth: number): ValidationProblem | undefined {
  if (depth > MAX_DEPTH) return problem("is nested too deeply (or circular)");
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : problem("must be a finite number");
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) return firstInArray(value, ANY, depth + 1, jsonItem);
      // Dates and other objects with toJSON serialize to what they choose.
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
      for (const [key, item] of Object.entries(value)) {
        const found = item === undefined ? undefined : jsonProblem(item, depth + 1);
        if (found) return inside(key, found);
      }
      return undefined;
    }
    default:
      return problem(`must be JSON (got a ${typeof value})`);
  }
}

const ANY: FieldSpec = { name: "", type: "json" };
const jsonItem: ItemCheck = (item, _field, depth) => jsonProblem(item, depth);

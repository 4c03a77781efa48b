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
  if (!isPlainObject(params)) return { field: "", reason: "must be a plain object" };
  return validateObject(params, fields, "", 0);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The first problem among the items of an array, each checked at its own path (`path[index]`). */
function firstInArray(
  items: readonly unknown[],
  path: string,
  check: (item: unknown, where: string) => ValidationProblem | undefined,
): ValidationProblem | undefined {
  for (let index = 0; index < items.length; index++) {
    const problem = check(items[index], `${path}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function validateObject(
  value: Record<string, unknown>,
  fields: readonly FieldSpec[],
  path: string,
  depth: number,
): ValidationProblem | undefined {
  for (const field of fields) {
    // Own properties only: a field named `constructor` or `toString` must not find Object.prototype's.
    const item = hasOwn(value, field.name) ? value[field.name] : undefined;
    const where = join(path, field.name);
    const problem = isAbsent(item, field)
      ? field.required
        ? { field: where, reason: "is required" }
        : undefined
      : validateValue(item, field, where, depth);
    if (problem) return problem;
  }
  // With no declared fields (e.g. a raw passthrough) any key may be right; otherwise a stray key is a typo.
  const stray =
    fields.length > 0
      ? Object.keys(value).find((key) => value[key] !== undefined && !fields.some((field) => field.name === key))
      : undefined;
  if (stray !== undefined) {
    const known = fields.map((field) => field.name).join(", ");
    return { field: join(path, stray), reason: `is not a parameter of this action (expected one of: ${known})` };
  }
  return undefined;
}

function validateValue(value: unknown, field: FieldSpec, path: string, depth: number): ValidationProblem | undefined {
  if (depth > MAX_DEPTH) return { field: path, reason: "is nested too deeply" };
  if (field.multiple && field.type !== "array") {
    if (!Array.isArray(value)) return { field: path, reason: `must be an array${describeValues(field, " of: ")}` };
    return firstInArray(value, path, (item, where) => validateSingle(item, field, where, depth + 1));
  }
  return validateSingle(value, field, path, depth);
}

function validateSingle(value: unknown, field: FieldSpec, path: string, depth: number): ValidationProblem | undefined {
  if (field.values && field.values.length > 0) {
    return field.values.includes(value as string)
      ? undefined
      : { field: path, reason: describeValues(field, "must be one of: ") };
  }
  switch (field.type) {
    case "string":
    case "number":
    case "boolean":
      return typeof value === field.type && (typeof value !== "number" || Number.isFinite(value))
        ? undefined
        : { field: path, reason: `must be a ${field.type}` };
    case "object":
      if (!isPlainObject(value)) return { field: path, reason: "must be an object" };
      return field.fields ? validateObject(value, field.fields, path, depth + 1) : jsonProblem(value, path, depth);
    case "array": {
      if (!Array.isArray(value)) return { field: path, reason: "must be an array" };
      const items = field.items;
      return firstInArray(value, path, (item, where) =>
        items === undefined
          ? jsonProblem(item, where, depth + 1)
          : isAbsent(item, items)
            ? { field: where, reason: "must not be empty" }
            : validateValue(item, items, where, depth + 1),
      );
    }
    default:
      // "json", "unknown" and any type a newer generator may add: anything that serializes as JSON.
      return jsonProblem(value, path, depth);
  }
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
function jsonProblem(value: unknown, path: string, depth: number): ValidationProblem | undefined {
  if (depth > MAX_DEPTH) return { field: path, reason: "is nested too deeply (or circular)" };
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { field: path, reason: "must be a finite number" };
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) return firstInArray(value, path, (item, where) => jsonProblem(item, where, depth + 1));
      // Dates and other objects with toJSON serialize to what they choose.
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
      for (const [key, item] of Object.entries(value)) {
        const problem = item === undefined ? undefined : jsonProblem(item, join(path, key), depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return { field: path, reason: `must be JSON (got a ${typeof value})` };
  }
}

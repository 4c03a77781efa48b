import type { Field, OptionValue, TypeNode } from "../model/types.js";

/** Where a bad value sits: field names and array indexes, exactly as in the body. */
export type FieldPath = (string | number)[];

/** The first problem found in an execute body, with a message in Refold's wording. */
export interface ValidationProblem {
  message: string;
  path: FieldPath;
}

/**
 * Validates an execute body against an action's normalized fields and returns the first problem, or
 * undefined. Order is deterministic: the schema's fields in order (missing, then wrong type), then
 * unknown keys in body order. Keys are compared exactly through Maps and `Object.hasOwn`, never through
 * prototype lookups, because field names such as `__proto__` or `constructor` are legal.
 */
export function validateBody(body: unknown, fields: readonly Field[]): ValidationProblem | undefined {
  if (!isPlainObject(body)) {
    return { message: `Request body must be a JSON object, got ${describe(body)}`, path: [] };
  }
  return validateObject(body, fields, []);
}

function validateObject(value: Record<string, unknown>, fields: readonly Field[], path: FieldPath) {
  const known = new Map(fields.map((field) => [field.name, field]));
  for (const field of known.values()) {
    const fieldPath = [...path, field.name];
    if (!Object.hasOwn(value, field.name)) {
      if (field.required) return { message: `Required parameter '${display(fieldPath)}' is missing`, path: fieldPath };
      continue;
    }
    const problem = validateValue(value[field.name], field.type, fieldPath);
    if (problem !== undefined) return problem;
  }
  for (const key of Object.keys(value)) {
    if (!known.has(key)) return { message: `Unknown parameter '${display([...path, key])}'`, path: [...path, key] };
  }
  return undefined;
}

function validateValue(value: unknown, type: TypeNode, path: FieldPath): ValidationProblem | undefined {
  switch (type.kind) {
    case "json":
    case "unknown":
      return undefined;
    case "string":
    case "number":
    case "boolean":
      return typeof value === type.kind ? undefined : wrongType(path, `a ${type.kind}`, value);
    case "enum":
      return validateEnum(value, type.values, type.multiple, path);
    case "object":
      return isPlainObject(value) ? validateObject(value, type.fields, path) : wrongType(path, "an object", value);
    case "array":
      return validateArray(value, path, (item, itemPath) => validateValue(item, type.items, itemPath));
  }
}

function validateEnum(value: unknown, values: readonly OptionValue[], multiple: boolean, path: FieldPath) {
  const check = (item: unknown, itemPath: FieldPath): ValidationProblem | undefined =>
    values.some((allowed) => allowed === item)
      ? undefined
      : {
          message: `Parameter '${display(itemPath)}' must be one of ${values.map(quote).join(", ")}, got ${quote(item)}`,
          path: itemPath,
        };
  return multiple ? validateArray(value, path, check) : check(value, path);
}

function validateArray(
  value: unknown,
  path: FieldPath,
  each: (item: unknown, path: FieldPath) => ValidationProblem | undefined,
): ValidationProblem | undefined {
  if (!Array.isArray(value)) return wrongType(path, "an array", value);
  for (const [index, item] of value.entries()) {
    const problem = each(item, [...path, index]);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function wrongType(path: FieldPath, expected: string, value: unknown): ValidationProblem {
  return { message: `Parameter '${display(path)}' must be ${expected}, got ${describe(value)}`, path };
}

/** `address.lines[0]`: readable, not unambiguous; `path` is the exact form. */
function display(path: FieldPath): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A JSON object, not an array or null (JSON.parse never gives anything more exotic). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

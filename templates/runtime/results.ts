/**
 * The opt-in drift check (`checkResults`): does an action's `data` still fit the shape recorded for it in
 * refold.results.json? A required field missing or a value of another type is a problem; fields the shape
 * does not know never are (providers add fields all the time), and string formats are not checked. A shape
 * that says nothing of the type accepts any value: `{}` (a value cut below RESULT_MAX_DEPTH) and a field
 * only ever seen as null (typed `unknown`: null says nothing of the type).
 */

import { hasOwn } from "./validate.js";

/**
 * How deep a result shape goes: a value nested more than this many levels (object fields, array items)
 * below `data` is `unknown`. `record` cuts learned and declared shapes here, `generate` applies it to the
 * results file it reads, and the drift check stops here. Real answers nest a handful of levels (GitHub,
 * HubSpot, Salesforce, Slack: under 10); 32 leaves ample room while keeping every walk of a shape far from
 * the call stack's limit.
 */
export const RESULT_MAX_DEPTH = 32;

/**
 * The most keys a recorded object keeps as named fields: an object with more (in one sample, or over all
 * samples merged) is recorded as a map, `Record<string, T>`. Real records have tens of fields, rarely a few
 * hundred; an object with thousands of keys is keyed by data.
 */
export const RESULT_MAX_KEYS = 1000;

/** A recorded result shape, as the generated action table carries it (JSON Schema, the subset the results file holds). */
export type ResultShape =
  | { readonly type: "string"; readonly format?: string }
  | { readonly type: "integer" | "number" | "boolean" | "null" }
  | { readonly type: "array"; readonly items?: ResultShape }
  | {
      readonly type: "object";
      readonly properties?: Readonly<Record<string, ResultShape>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: ResultShape | boolean;
    }
  | { readonly anyOf: readonly ResultShape[] }
  /** Anything (JSON Schema's `{}`): a value nested below RESULT_MAX_DEPTH. */
  | { readonly type?: undefined };

/** Where a result stops fitting its shape: a JSON path (`$.results[0].id`) and why. */
export interface ResultProblem {
  readonly path: string;
  readonly reason: string;
}

/** What `checkResults` does with a result that does not fit: nothing (default), a logger warning, or a rejection. */
export type ResultCheck = "off" | "warn" | "throw";

/**
 * A result shape as the generated action table carries it (`defineApp`'s results, JSON text): what the drift
 * check reads of a ResultShape, and shorter. A kind is its name, as `kindOf` names a value: `"string"`,
 * `"number"` (integers too), `"boolean"`, `"null"`; `""` is anything. `["array"]` or `["array", items]` is
 * an array; `["|", ...kinds]` a union. An object is a JSON object whose keys are the field names behind a
 * mark, `!` required or `?` optional (required fields first, in the shape's `required` order), plus `*` for
 * the values of every other key (a map's values).
 */
export type EncodedShape = string | readonly unknown[] | EncodedRecord;

/** An object's fields behind their marks (`!id`, `?email`), and `*`. */
export type EncodedRecord = { readonly [markedKey: string]: EncodedShape };

const cache = new WeakMap<ResultShape, EncodedShape>();

/** The first place where `value` does not fit `shape`, or undefined when it fits. */
export function resultProblem(value: unknown, shape: ResultShape): ResultProblem | undefined {
  let encoded = cache.get(shape);
  if (encoded === undefined) {
    encoded = encodeShape(shape);
    cache.set(shape, encoded);
  }
  return shapeProblem(value, encoded);
}

/**
 * A ResultShape as the drift check reads it (the generator writes the action tables with this too). What lies
 * deeper than RESULT_MAX_DEPTH, which the check never reaches, is anything.
 */
export function encodeShape(shape: ResultShape, depth = 0): EncodedShape {
  if (depth > RESULT_MAX_DEPTH) return "";
  if ("anyOf" in shape) {
    // A union within a union is the same union.
    return [
      "|",
      ...shape.anyOf.flatMap((variant) => {
        const encoded = encodeShape(variant, depth);
        return isUnion(encoded) ? encoded.slice(1) : [encoded];
      }),
    ];
  }
  switch (shape.type) {
    case undefined:
      return "";
    case "integer":
      return "number";
    case "array":
      return shape.items === undefined ? ["array"] : ["array", encodeShape(shape.items, depth + 1)];
    case "object":
      return encodeObject(shape, depth + 1);
    default:
      return shape.type;
  }
}

/** An object's fields and map values, at `depth`. */
function encodeObject(shape: Extract<ResultShape, { type: "object" }>, depth: number): EncodedShape {
  const properties = shape.properties ?? {};
  const extra =
    typeof shape.additionalProperties === "object" ? encodeShape(shape.additionalProperties, depth) : undefined;
  const encoded: Record<string, EncodedShape> = {};
  // A required key with no shape of its own is checked as any other key would be: by `*`, else not at all.
  for (const key of shape.required ?? [])
    encoded[`!${key}`] = hasOwn(properties, key) ? encodeShape(properties[key] as ResultShape, depth) : (extra ?? "");
  for (const key of Object.keys(properties)) {
    if (!hasOwn(encoded, `!${key}`)) encoded[`?${key}`] = encodeShape(properties[key] as ResultShape, depth);
  }
  if (extra !== undefined) encoded["*"] = extra;
  return encoded;
}

/** The first place where `value` does not fit an encoded shape, or undefined when it fits. */
export function shapeProblem(value: unknown, shape: EncodedShape, path = "$", depth = 0): ResultProblem | undefined {
  // `""` (anything) and `"null"` (only null seen) say nothing of the type: any value fits.
  if (depth > RESULT_MAX_DEPTH || shape === "" || shape === "null") return undefined;
  const variants = isUnion(shape) ? (shape.slice(1) as EncodedShape[]) : [shape];
  const kind = kindOf(value);
  const fitting = variants.find((variant) => variant === "" || kindName(variant) === kind);
  if (fitting === undefined) {
    return { path, reason: `expected ${[...new Set(variants.map(kindName))].join(" or ")}, got ${kind}` };
  }
  if (Array.isArray(fitting)) {
    const items = value as readonly unknown[];
    for (let index = 0; fitting.length > 1 && index < items.length; index++) {
      const problem = shapeProblem(items[index], fitting[1] as EncodedShape, `${path}[${index}]`, depth + 1);
      if (problem) return problem;
    }
  } else if (typeof fitting === "object") {
    return objectProblem(value as Record<string, unknown>, fitting as EncodedRecord, path, depth);
  }
  return undefined;
}

function objectProblem(
  value: Record<string, unknown>,
  shape: EncodedRecord,
  path: string,
  depth: number,
): ResultProblem | undefined {
  for (const marked of Object.keys(shape)) {
    const key = marked.slice(1);
    if (marked.charAt(0) === "!" && !hasOwn(value, key)) return { path: member(path, key), reason: "is missing" };
  }
  for (const key of Object.keys(value)) {
    // Marked keys are never a prototype's (`!constructor`), so a plain lookup reads own keys only.
    const expected = shape[`!${key}`] ?? shape[`?${key}`] ?? shape["*"];
    if (expected === undefined) continue;
    const problem = shapeProblem(value[key], expected, member(path, key), depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function isUnion(shape: EncodedShape): shape is readonly unknown[] {
  return Array.isArray(shape) && shape[0] === "|";
}

/** What a variant accepts, as `kindOf` names values. */
function kindName(shape: EncodedShape): string {
  if (typeof shape === "string") return shape === "" ? "anything" : shape;
  return Array.isArray(shape) ? "array" : "object";
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** `$.key` for identifier-like keys, `$["odd key"]` for the rest. */
function member(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

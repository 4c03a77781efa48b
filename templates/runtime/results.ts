/**
 * The opt-in drift check (`checkResults`): does an action's `data` still fit the shape recorded for it in
 * refold.results.json? A required field missing or a value of another type is a problem; fields the shape
 * does not know never are (providers add fields all the time), and string formats are not checked. A shape
 * that says nothing of the type accepts any value: `{}` (a value cut below RESULT_MAX_DEPTH) and a field
 * only ever seen as null (typed `unknown`: null says nothing of the type).
 */

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

/** The first place where `value` does not fit `shape`, or undefined when it fits. */
export function resultProblem(value: unknown, shape: ResultShape, path = "$", depth = 0): ResultProblem | undefined {
  if (depth > RESULT_MAX_DEPTH || saysNothing(shape)) return undefined;
  if ("anyOf" in shape) {
    const fitting = shape.anyOf.find((variant) => kindFits(value, variant));
    if (fitting === undefined) return { path, reason: `expected ${kindsOf(shape)}, got ${kindOf(value)}` };
    return resultProblem(value, fitting, path, depth);
  }
  if (!kindFits(value, shape)) return { path, reason: `expected ${kindsOf(shape)}, got ${kindOf(value)}` };
  if (shape.type === "array" && shape.items !== undefined) {
    const items = value as readonly unknown[];
    for (let index = 0; index < items.length; index++) {
      const problem = resultProblem(items[index], shape.items, `${path}[${index}]`, depth + 1);
      if (problem) return problem;
    }
  }
  if (shape.type === "object") return objectProblem(value as Record<string, unknown>, shape, path, depth);
  return undefined;
}

function objectProblem(
  value: Record<string, unknown>,
  shape: Extract<ResultShape, { type: "object" }>,
  path: string,
  depth: number,
): ResultProblem | undefined {
  const properties = shape.properties ?? {};
  for (const key of shape.required ?? []) {
    if (!hasOwn(value, key)) return { path: member(path, key), reason: "is missing" };
  }
  for (const key of Object.keys(value)) {
    const known = hasOwn(properties, key) ? properties[key] : undefined;
    const extra = typeof shape.additionalProperties === "object" ? shape.additionalProperties : undefined;
    const expected = known ?? extra;
    if (expected === undefined) continue;
    const problem = resultProblem(value[key], expected, member(path, key), depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** `{}`, or only null ever seen: any value fits. */
function saysNothing(shape: ResultShape): boolean {
  return !("anyOf" in shape) && (shape.type === undefined || shape.type === "null");
}

function kindFits(value: unknown, shape: ResultShape): boolean {
  if ("anyOf" in shape) return shape.anyOf.some((variant) => kindFits(value, variant));
  switch (shape.type) {
    case undefined:
      return true;
    case "string":
      return typeof value === "string";
    case "integer":
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

function kindsOf(shape: ResultShape): string {
  const kinds = "anyOf" in shape ? shape.anyOf.map(kindsOf) : [shape.type === "integer" ? "number" : (shape.type ?? "anything")];
  return [...new Set(kinds)].join(" or ");
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

/** Own keys only (`Object.hasOwn` is newer than the ES2020 library the runtime compiles against). */
function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

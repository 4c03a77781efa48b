import { compareCodeUnits } from "../util/stable-json.js";

/*
 * The shape of an action's result, learned from sample answers, as the JSON Schema subset the results file
 * stores. It holds types, keys, which keys every sample had, nulls seen and string formats every sample
 * agreed on; never a value: no example, default, enum or const, and no key that looks like a value (an id,
 * an email, a date: such objects are maps, recorded by the shape of their values alone).
 */

/** A string format kept when every sample string matches it. */
export type StringFormat = "date-time" | "email" | "uri" | "uuid";

/** The stored shape of one JSON value (a JSON Schema subset). */
export type Shape =
  | { type: "string"; format?: StringFormat }
  | { type: "integer" | "number" | "boolean" | "null" }
  /** No `items`: only empty arrays were seen. */
  | { type: "array"; items?: Shape }
  /** A record with known keys: closed, `required` listing the keys every sample had (sorted). */
  | { type: "object"; properties: Record<string, Shape>; required: string[]; additionalProperties: false }
  /** A map keyed by data (ids, emails, dates): only its values' shape. */
  | { type: "object"; additionalProperties: Shape | false }
  /** Several kinds: at most one of each, in KIND_ORDER. */
  | { anyOf: Shape[] };

/** A shape that is not a union. */
export type Variant = Exclude<Shape, { anyOf: Shape[] }>;

const KIND_ORDER = ["object", "array", "string", "integer", "number", "boolean", "null"] as const;
type Kind = (typeof KIND_ORDER)[number];

const FORMATS: readonly [StringFormat, RegExp][] = [
  ["date-time", /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/],
  ["uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ["email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ["uri", /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i],
];

/** A key that is data rather than a field name: its object is recorded as a map. */
function isValueLikeKey(key: string): boolean {
  return key.length > 64 || /^\d+$/.test(key) || FORMATS.some(([, pattern]) => pattern.test(key));
}

/** The shape of one sample value. */
export function inferShape(value: unknown): Shape {
  if (value === null) return { type: "null" };
  if (typeof value === "string") {
    const format = FORMATS.find(([, pattern]) => pattern.test(value))?.[0];
    return format === undefined ? { type: "string" } : { type: "string", format };
  }
  if (typeof value === "number") return { type: Number.isInteger(value) ? "integer" : "number" };
  if (typeof value === "boolean") return { type: "boolean" };
  if (Array.isArray(value)) {
    const items = value.map(inferShape).reduce<Shape | undefined>((a, b) => (a === undefined ? b : mergeShapes(a, b)), undefined);
    return items === undefined ? { type: "array" } : { type: "array", items };
  }
  if (typeof value === "object") {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.some(isValueLikeKey)) {
      const values = keys.map((key) => inferShape(record[key]));
      return { type: "object", additionalProperties: values.reduce(mergeShapes, values[0] as Shape) };
    }
    const properties: Record<string, Shape> = {};
    for (const key of keys) defineOwn(properties, key, inferShape(record[key]));
    return { type: "object", properties, required: [...keys].sort(compareCodeUnits), additionalProperties: false };
  }
  // undefined, functions, bigints: not JSON; a parsed answer never holds them.
  return { type: "null" };
}

/** The shape that accepts what both shapes accept, as one more sample would make it. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const byKind = new Map<Kind, Variant>();
  for (const variant of [...variantsOf(a), ...variantsOf(b)]) {
    const kind = variant.type;
    const known = byKind.get(kind) ?? (kind === "number" || kind === "integer" ? numberIn(byKind) : undefined);
    if (known === undefined) byKind.set(kind, variant);
    else {
      byKind.delete(known.type);
      const merged = mergeVariants(known, variant);
      byKind.set(merged.type, merged);
    }
  }
  const variants = KIND_ORDER.flatMap((kind) => byKind.get(kind) ?? []);
  return variants.length === 1 ? (variants[0] as Variant) : { anyOf: variants };
}

function numberIn(byKind: Map<Kind, Variant>): Variant | undefined {
  return byKind.get("integer") ?? byKind.get("number");
}

export function variantsOf(shape: Shape): Variant[] {
  return "anyOf" in shape ? (shape.anyOf as Variant[]) : [shape];
}

/** Two variants of the same kind (integer and number count as one). */
function mergeVariants(a: Variant, b: Variant): Variant {
  if (a.type === "string" && b.type === "string")
    return a.format !== undefined && a.format === b.format ? a : { type: "string" };
  if ((a.type === "integer" || a.type === "number") && (b.type === "integer" || b.type === "number"))
    return { type: a.type === "integer" && b.type === "integer" ? "integer" : "number" };
  if (a.type === "array" && b.type === "array") {
    const items = a.items === undefined ? b.items : b.items === undefined ? a.items : mergeShapes(a.items, b.items);
    return items === undefined ? { type: "array" } : { type: "array", items };
  }
  if (a.type === "object" && b.type === "object") return mergeObjects(a, b);
  return a;
}

type ObjectShape = Extract<Variant, { type: "object" }>;

function mergeObjects(a: ObjectShape, b: ObjectShape): ObjectShape {
  if ("properties" in a && "properties" in b) {
    const properties: Record<string, Shape> = {};
    for (const key of [...new Set([...Object.keys(a.properties), ...Object.keys(b.properties)])].sort(compareCodeUnits)) {
      const left = Object.hasOwn(a.properties, key) ? a.properties[key] : undefined;
      const right = Object.hasOwn(b.properties, key) ? b.properties[key] : undefined;
      defineOwn(properties, key, left === undefined ? (right as Shape) : right === undefined ? left : mergeShapes(left, right));
    }
    const required = a.required.filter((key) => b.required.includes(key));
    return { type: "object", properties, required, additionalProperties: false };
  }
  // A map meets a map or a record: one map of every value seen.
  const values = [...mapValues(a), ...mapValues(b)];
  if (values.length === 0) return { type: "object", additionalProperties: false };
  return { type: "object", additionalProperties: values.reduce(mergeShapes) };
}

function mapValues(shape: ObjectShape): Shape[] {
  if ("properties" in shape) return Object.values(shape.properties);
  return shape.additionalProperties === false ? [] : [shape.additionalProperties];
}

/** Own data property, even for keys such as `__proto__`. */
function defineOwn(record: Record<string, Shape>, key: string, value: Shape): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

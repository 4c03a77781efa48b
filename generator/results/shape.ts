import { RESULT_MAX_DEPTH, RESULT_MAX_KEYS } from "../../templates/runtime/results.js";
import { setOwn } from "../util/records.js";
import { compareCodeUnits } from "../util/stable-json.js";

export { RESULT_MAX_DEPTH, RESULT_MAX_KEYS };

/*
 * The shape of an action's result, learned from sample answers, as the JSON Schema subset the results file
 * stores. It holds types, keys, which keys every sample had, nulls seen and string formats every sample
 * agreed on; never a value: no example, default, enum or const, and no key that looks like a value (an id,
 * an email, a date: such objects are maps, recorded by the shape of their values alone).
 *
 * It stays bounded whatever the answer: a value nested more than RESULT_MAX_DEPTH levels below `data` is
 * `unknown` (`{}`), and an object with more than RESULT_MAX_KEYS keys (in one sample or over the samples
 * merged) is a map. Every walk of a shape therefore recurses at most RESULT_MAX_DEPTH levels.
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
  | { anyOf: Shape[] }
  /** Anything (JSON Schema's `{}`): a value nested below RESULT_MAX_DEPTH. It absorbs every other kind. */
  | UnknownShape;

/** Anything: no `type`. */
export interface UnknownShape {
  type?: undefined;
}

/** A shape that is not a union. */
export type Variant = Exclude<Shape, { anyOf: Shape[] }>;

const KIND_ORDER = ["object", "array", "string", "integer", "number", "boolean", "null"] as const;
type Kind = (typeof KIND_ORDER)[number];

/** Where a limit changed what was recorded: a field path as changes write it (`a.b[]`, `[*]` for map values). */
export interface ShapeNote {
  path: string;
  rule: "depth" | "keys";
  message: string;
}

/** Collects the notes of one inference or bounding, one per path and rule. */
export class ShapeNotes {
  private readonly notes = new Map<string, ShapeNote>();

  add(path: string, rule: ShapeNote["rule"], message: string): void {
    const key = `${rule} ${path}`;
    if (!this.notes.has(key)) this.notes.set(key, { path, rule, message });
  }

  /** Sorted by path, then rule: the same answer gives the same notes. */
  list(): ShapeNote[] {
    return [...this.notes.values()].sort(
      (a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.rule, b.rule),
    );
  }
}

/** The shape that says nothing: `unknown`. */
export const UNKNOWN: UnknownShape = {};

/** True for `{}`, which accepts anything. */
export function isUnknown(shape: Shape): shape is UnknownShape {
  return !("anyOf" in shape) && shape.type === undefined;
}

/**
 * True when a shape tells a reader nothing of the type: `{}`, or only null ever seen (null says nothing of the
 * field's type; the first real value will). Such a shape is typed `unknown` and the drift check accepts any
 * value for it.
 */
export function saysNothing(shape: Shape): boolean {
  return !("anyOf" in shape) && (shape.type === undefined || shape.type === "null");
}

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

/** The shape of one sample value, within the limits (RESULT_MAX_DEPTH, RESULT_MAX_KEYS). */
export function inferShape(value: unknown): Shape {
  return infer(value, 0, "", undefined);
}

/** `inferShape`, telling `notes` where a limit applied. */
export function inferShapeNoted(value: unknown, notes: ShapeNotes): Shape {
  return infer(value, 0, "", notes);
}

function infer(value: unknown, depth: number, path: string, notes: ShapeNotes | undefined): Shape {
  if (value === null) return { type: "null" };
  if (typeof value === "string") {
    const format = FORMATS.find(([, pattern]) => pattern.test(value))?.[0];
    return format === undefined ? { type: "string" } : { type: "string", format };
  }
  if (typeof value === "number") return { type: Number.isInteger(value) ? "integer" : "number" };
  if (typeof value === "boolean") return { type: "boolean" };
  if (typeof value !== "object") return { type: "null" }; // undefined, functions, bigints: not JSON; a parsed answer never holds them.
  if (depth >= RESULT_MAX_DEPTH) {
    notes?.add(path, "depth", depthMessage(path));
    return UNKNOWN;
  }
  if (Array.isArray(value)) {
    let items: Shape | undefined;
    const at = notes === undefined ? undefined : { notes, path: `${path}[]` };
    for (const item of value as unknown[]) {
      const shape = infer(item, depth + 1, `${path}[]`, notes);
      items = items === undefined ? shape : merge(items, shape, at);
    }
    return items === undefined ? { type: "array" } : { type: "array", items };
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > RESULT_MAX_KEYS || keys.some(isValueLikeKey)) {
    if (keys.length > RESULT_MAX_KEYS) notes?.add(path, "keys", keysMessage(path, keys.length));
    let values: Shape | undefined;
    const at = notes === undefined ? undefined : { notes, path: mapPath(path) };
    for (const key of keys) {
      const shape = infer(record[key], depth + 1, mapPath(path), notes);
      values = values === undefined ? shape : merge(values, shape, at);
    }
    return { type: "object", additionalProperties: values ?? false };
  }
  const properties: Record<string, Shape> = {};
  for (const key of keys.sort(compareCodeUnits))
    defineOwn(properties, key, infer(record[key], depth + 1, join(path, key), notes));
  return { type: "object", properties, required: keys, additionalProperties: false };
}

/**
 * A stored shape (the results file, a declared schema) within the limits: cut below RESULT_MAX_DEPTH, and
 * records of more than RESULT_MAX_KEYS fields made maps. A shape `record` wrote comes back unchanged; a
 * hand-made or older one is bounded the same way, so `generate`, the emulator and the drift check never walk
 * deeper or wider than `record` would have recorded. Whatever it is not a shape of is kept as it is, unwalked.
 */
export function boundShape(shape: Shape, notes?: ShapeNotes): Shape {
  return bound(shape, 0, "", notes);
}

function bound(shape: Shape, depth: number, path: string, notes: ShapeNotes | undefined): Shape {
  if (typeof shape !== "object" || shape === null) return shape;
  if ("anyOf" in shape) {
    if (!Array.isArray(shape.anyOf)) return shape;
    const variants = shape.anyOf.map((variant) => bound(variant, depth, path, notes));
    return variants.some((variant, index) => variant !== shape.anyOf[index]) ? variants.reduce(mergeShapes) : shape;
  }
  if (shape.type !== "object" && shape.type !== "array") return shape;
  if (depth >= RESULT_MAX_DEPTH) {
    notes?.add(path, "depth", depthMessage(path));
    return UNKNOWN;
  }
  if (shape.type === "array") {
    if (shape.items === undefined) return shape;
    const items = bound(shape.items, depth + 1, `${path}[]`, notes);
    return items === shape.items ? shape : { type: "array", items };
  }
  if (!("properties" in shape)) {
    if (typeof shape.additionalProperties !== "object" || shape.additionalProperties === null) return shape;
    const values = bound(shape.additionalProperties, depth + 1, mapPath(path), notes);
    return values === shape.additionalProperties ? shape : { type: "object", additionalProperties: values };
  }
  if (typeof shape.properties !== "object" || shape.properties === null) return shape;
  const keys = Object.keys(shape.properties);
  if (keys.length > RESULT_MAX_KEYS) {
    notes?.add(path, "keys", keysMessage(path, keys.length));
    const values = keys.map((key) => bound(shape.properties[key] as Shape, depth + 1, mapPath(path), notes));
    return { type: "object", additionalProperties: values.reduce(mergeShapes) };
  }
  let changed = false;
  const properties: Record<string, Shape> = {};
  for (const key of keys) {
    const value = shape.properties[key] as Shape;
    const next = bound(value, depth + 1, join(path, key), notes);
    changed ||= next !== value;
    defineOwn(properties, key, next);
  }
  return changed ? { ...shape, properties } : shape;
}

function depthMessage(path: string): string {
  return `${path === "" ? "the result" : `field ${path}`} is an object or array ${RESULT_MAX_DEPTH} levels deep, the depth limit: recorded as unknown`;
}

function keysMessage(path: string, keys?: number): string {
  const what = path === "" ? "the result" : `field ${path}`;
  const has =
    keys === undefined
      ? `has more than ${RESULT_MAX_KEYS} distinct keys over the samples (or items) merged`
      : `has ${keys} keys, more than ${RESULT_MAX_KEYS}`;
  return `${what} ${has}: recorded as a map`;
}

/** A field path as compare.ts writes it: keys joined with `.`, `[]` for array items, `[*]` for map values. */
function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function mapPath(path: string): string {
  return `${path}[*]`;
}

/** The shape that accepts what both shapes accept, as one more sample would make it. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  return merge(a, b, undefined);
}

/** `mergeShapes`, telling `notes` where records merged into maps for their keys (`path`: where a and b stand). */
export function mergeShapesNoted(a: Shape, b: Shape, notes: ShapeNotes, path = ""): Shape {
  return merge(a, b, { notes, path });
}

/** Where a merge stands, when its notes are wanted. */
interface MergeAt {
  notes: ShapeNotes;
  path: string;
}

function merge(a: Shape, b: Shape, at: MergeAt | undefined): Shape {
  const all = [...variantsOf(a), ...variantsOf(b)];
  // Anything, and anything else: still anything.
  if (all.some(isUnknown)) return UNKNOWN;
  const byKind = new Map<Kind, Variant>();
  for (const variant of all) {
    const kind = variant.type as Kind;
    const known = byKind.get(kind) ?? (kind === "number" || kind === "integer" ? numberIn(byKind) : undefined);
    if (known === undefined) byKind.set(kind, variant);
    else {
      byKind.delete(known.type as Kind);
      const merged = mergeVariants(known, variant, at);
      byKind.set(merged.type as Kind, merged);
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
function mergeVariants(a: Variant, b: Variant, at: MergeAt | undefined): Variant {
  if (a.type === "string" && b.type === "string")
    return a.format !== undefined && a.format === b.format ? a : { type: "string" };
  if ((a.type === "integer" || a.type === "number") && (b.type === "integer" || b.type === "number"))
    return { type: a.type === "integer" && b.type === "integer" ? "integer" : "number" };
  if (a.type === "array" && b.type === "array") {
    const inner = at === undefined ? undefined : { notes: at.notes, path: `${at.path}[]` };
    const items = a.items === undefined ? b.items : b.items === undefined ? a.items : merge(a.items, b.items, inner);
    return items === undefined ? { type: "array" } : { type: "array", items };
  }
  if (a.type === "object" && b.type === "object") return mergeObjects(a, b, at);
  return a;
}

type ObjectShape = Extract<Variant, { type: "object" }>;

function mergeObjects(a: ObjectShape, b: ObjectShape, at: MergeAt | undefined): ObjectShape {
  if ("properties" in a && "properties" in b) {
    const keys = [...new Set([...Object.keys(a.properties), ...Object.keys(b.properties)])];
    if (keys.length <= RESULT_MAX_KEYS) {
      const properties: Record<string, Shape> = {};
      for (const key of keys.sort(compareCodeUnits)) {
        const left = Object.hasOwn(a.properties, key) ? a.properties[key] : undefined;
        const right = Object.hasOwn(b.properties, key) ? b.properties[key] : undefined;
        const inner =
          at === undefined || left === undefined || right === undefined
            ? undefined
            : { notes: at.notes, path: join(at.path, key) };
        defineOwn(
          properties,
          key,
          left === undefined ? (right as Shape) : right === undefined ? left : merge(left, right, inner),
        );
      }
      const inB = new Set(b.required);
      const required = a.required.filter((key) => inB.has(key));
      return { type: "object", properties, required, additionalProperties: false };
    }
    // More keys over the samples than a record keeps: a map, as one sample with them all would be.
    at?.notes.add(at.path, "keys", keysMessage(at.path));
  }
  // A map meets a map or a record: one map of every value seen.
  const values = [...mapValues(a), ...mapValues(b)];
  if (values.length === 0) return { type: "object", additionalProperties: false };
  const inner = at === undefined ? undefined : { notes: at.notes, path: mapPath(at.path) };
  return { type: "object", additionalProperties: values.reduce((left, right) => merge(left, right, inner)) };
}

function mapValues(shape: ObjectShape): Shape[] {
  if ("properties" in shape) return Object.values(shape.properties);
  return shape.additionalProperties === false ? [] : [shape.additionalProperties];
}

/** Own data property, even for keys such as `__proto__` (assignment elsewhere: defineProperty is far slower). */
function defineOwn(record: Record<string, Shape>, key: string, value: Shape): void {
  if (key === "__proto__") setOwn(record, key, value);
  else record[key] = value;
}

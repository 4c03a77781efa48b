// The drift check reads the compact EncodedShape the action tables carry (templates/runtime/results.ts). It
// must judge every value exactly as the JSON Schema check it replaced did: that check is kept here as the
// reference, and random samples, shapes merged from them and hand-made shapes hold the two equal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inferShape, mergeShapes } from "../../generator/results/shape.js";
import {
  encodeShape,
  RESULT_MAX_DEPTH,
  resultProblem,
  shapeProblem,
  type ResultProblem,
  type ResultShape,
} from "../../templates/runtime/results.js";

/** The JSON Schema check as it was before the encoding (the reference). */
function reference(value: unknown, shape: ResultShape, path = "$", depth = 0): ResultProblem | undefined {
  if (depth > RESULT_MAX_DEPTH || (!("anyOf" in shape) && (shape.type === undefined || shape.type === "null")))
    return undefined;
  if ("anyOf" in shape) {
    const fitting = shape.anyOf.find((variant) => kindFits(value, variant));
    if (fitting === undefined) return { path, reason: `expected ${kindsOf(shape)}, got ${kindOf(value)}` };
    return reference(value, fitting, path, depth);
  }
  if (!kindFits(value, shape)) return { path, reason: `expected ${kindsOf(shape)}, got ${kindOf(value)}` };
  if (shape.type === "array" && shape.items !== undefined) {
    const items = value as readonly unknown[];
    for (let index = 0; index < items.length; index++) {
      const problem = reference(items[index], shape.items, `${path}[${index}]`, depth + 1);
      if (problem) return problem;
    }
  }
  if (shape.type !== "object") return undefined;
  const record = value as Record<string, unknown>;
  const properties = shape.properties ?? {};
  for (const key of shape.required ?? [])
    if (!Object.hasOwn(record, key)) return { path: member(path, key), reason: "is missing" };
  for (const key of Object.keys(record)) {
    const known = Object.hasOwn(properties, key) ? properties[key] : undefined;
    const expected = known ?? (typeof shape.additionalProperties === "object" ? shape.additionalProperties : undefined);
    if (expected === undefined) continue;
    const problem = reference(record[key], expected, member(path, key), depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function kindFits(value: unknown, shape: ResultShape): boolean {
  if ("anyOf" in shape) return shape.anyOf.some((variant) => kindFits(value, variant));
  if (shape.type === undefined) return true;
  if (shape.type === "integer") return typeof value === "number";
  return kindOf(value) === shape.type;
}

function kindsOf(shape: ResultShape): string {
  const kinds =
    "anyOf" in shape ? shape.anyOf.map(kindsOf) : [shape.type === "integer" ? "number" : (shape.type ?? "anything")];
  return [...new Set(kinds)].join(" or ");
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function member(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Values whose keys collide often, so that shapes and values overlap. */
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, 0, 1.5, "", "2024-01-01T00:00:00Z", "a@b.cd"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "id", "__proto__", "x y", "1"), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const check = (value: unknown, shape: ResultShape) => {
  expect(shapeProblem(value, JSON.parse(JSON.stringify(encodeShape(shape))))).toEqual(reference(value, shape));
  expect(resultProblem(value, shape)).toEqual(reference(value, shape));
};

describe("the encoded drift check", () => {
  it("judges every value as the JSON Schema check did, on shapes merged from samples", () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 4 }), values, (samples, value) => {
        check(value, samples.map(inferShape).reduce(mergeShapes));
      }),
      { numRuns: 400 },
    );
  });

  it.each<[string, ResultShape, unknown]>([
    [
      "a required key with no shape of its own, in a map",
      { type: "object", required: ["b", "a"], additionalProperties: { type: "string" } },
      { a: 1 },
    ],
    [
      "required keys out of order",
      { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["b", "a"] },
      {},
    ],
    ["a union within a union", { anyOf: [{ anyOf: [{ type: "null" }, { type: "integer" }] }, { type: "array" }] }, "x"],
    ["anything within a union", { anyOf: [{ type: "string" }, {}] }, 1],
    ["null alone within a union", { anyOf: [{ type: "null" }] }, 1],
    ["a type no sample gives", { type: "foo" } as unknown as ResultShape, 1],
  ])("hand-made shapes: %s", (_name, shape, value) => check(value, shape));

  it("drops string formats, which the check never reads", () => {
    expect(
      encodeShape({ type: "object", properties: { at: { type: "string", format: "date-time" } }, required: ["at"] }),
    ).toEqual({ "!at": "string" });
  });
});

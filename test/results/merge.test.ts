// Merging as a table: sample sets -> the recorded schema -> the TypeScript type, compiled with tsc.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeResultType } from "../../generator/emit/result-type.js";
import { SourceWriter } from "../../generator/emit/writer.js";
import { inferShape, mergeShapes, type Shape } from "../../generator/results/shape.js";
import { compile } from "../helpers/tsc.js";

const learn = (samples: readonly unknown[]): Shape => samples.map(inferShape).reduce(mergeShapes);
const typeOf = (samples: readonly unknown[]): string => {
  const w = new SourceWriter();
  writeResultType(w, "R", learn(samples));
  return w.toString().trim();
};

/** `{ f<from>: 1, ... }` with `count` keys that look like field names. */
function keyed(from: number, count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`f${from + index}`, 1]));
}

const object = (properties: Record<string, Shape>, required: string[]): Shape => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

interface Row {
  name: string;
  samples: unknown[];
  schema: Shape;
  type: string;
}

const TABLE: Row[] = [
  {
    name: "a key every sample has is required",
    samples: [{ a: 1 }, { a: 2 }],
    schema: object({ a: { type: "integer" } }, ["a"]),
    type: "export interface R {\n  a: number;\n}",
  },
  {
    name: "a key missing from some sample is optional",
    samples: [{ a: 1, b: "x" }, { a: 2 }],
    schema: object({ a: { type: "integer" }, b: { type: "string" } }, ["a"]),
    type: "export interface R {\n  a: number;\n  b?: string;\n}",
  },
  {
    name: "null seen adds | null, and optional and nullable stay distinct",
    samples: [{ a: 1, b: 1 }, { a: null, b: null }, { b: 2 }],
    schema: object(
      { a: { anyOf: [{ type: "integer" }, { type: "null" }] }, b: { anyOf: [{ type: "integer" }, { type: "null" }] } },
      ["b"],
    ),
    type: "export interface R {\n  a?: number | null;\n  b: number | null;\n}",
  },
  {
    name: "different types make a union; integer and float are one number",
    samples: [{ a: 1 }, { a: "one" }, { a: 1.5 }],
    schema: object({ a: { anyOf: [{ type: "string" }, { type: "number" }] } }, ["a"]),
    type: "export interface R {\n  a: string | number;\n}",
  },
  {
    name: "array items merge, and an empty array adds nothing",
    samples: [{ rows: [] }, { rows: [{ id: "1", n: 1 }, { id: "2" }] }],
    schema: object(
      { rows: { type: "array", items: object({ id: { type: "string" }, n: { type: "integer" } }, ["id"]) } },
      ["rows"],
    ),
    type: "export interface R {\n  rows: {\n    id: string;\n    n?: number;\n  }[];\n}",
  },
  {
    name: "only empty arrays seen: items unknown",
    samples: [{ tags: [] }],
    schema: object({ tags: { type: "array" } }, ["tags"]),
    type: "export interface R {\n  tags: unknown[];\n}",
  },
  {
    name: "an empty object is closed: nothing may be in it",
    samples: [{ paging: {} }],
    schema: object({ paging: object({}, []) }, ["paging"]),
    type: "export interface R {\n  paging: Record<string, never>;\n}",
  },
  {
    name: "a format every sample agrees on is kept",
    samples: [{ at: "2024-01-01T00:00:00Z" }, { at: "2025-05-01T09:27:51.177Z" }],
    schema: object({ at: { type: "string", format: "date-time" } }, ["at"]),
    type: "export interface R {\n  /** @format date-time */\n  at: string;\n}",
  },
  {
    name: "a format some sample breaks is dropped",
    samples: [{ at: "2024-01-01T00:00:00Z" }, { at: "yesterday" }],
    schema: object({ at: { type: "string" } }, ["at"]),
    type: "export interface R {\n  at: string;\n}",
  },
  {
    name: "keys that are data (ids, emails) make a map, keeping no key",
    samples: [{ byId: { "118448752960": { ok: true }, "51": { ok: false } } }],
    schema: object({ byId: { type: "object", additionalProperties: object({ ok: { type: "boolean" } }, ["ok"]) } }, [
      "byId",
    ]),
    type: "export interface R {\n  byId: Record<string, { ok: boolean }>;\n}",
  },
  {
    name: "a root that is not an object",
    samples: [[1, 2], null],
    schema: { anyOf: [{ type: "array", items: { type: "integer" } }, { type: "null" }] },
    type: "export type R = number[] | null;",
  },
  {
    name: "an array of objects that may be null",
    samples: [{ list: [{ a: 1 }] }, { list: null }],
    schema: object(
      { list: { anyOf: [{ type: "array", items: object({ a: { type: "integer" } }, ["a"]) }, { type: "null" }] } },
      ["list"],
    ),
    type: "export interface R {\n  list: ({\n    a: number;\n  })[] | null;\n}",
  },
  {
    name: "a field every sample had as null is unknown: null says nothing of its type (as items only null are)",
    samples: [
      { milestone: null, labels: [null] },
      { milestone: null, labels: [] },
    ],
    schema: object({ labels: { type: "array", items: { type: "null" } }, milestone: { type: "null" } }, [
      "labels",
      "milestone",
    ]),
    type: "export interface R {\n  labels: unknown[];\n  /** Only null in every sample so far: its type is not known yet. */\n  milestone: unknown;\n}",
  },
  {
    name: "a field only null so far learns its type from the first real value, nullable",
    samples: [{ assignee: null }, { assignee: { login: "x" } }],
    schema: object({ assignee: { anyOf: [object({ login: { type: "string" } }, ["login"]), { type: "null" }] } }, [
      "assignee",
    ]),
    type: "export interface R {\n  assignee: {\n    login: string;\n  } | null;\n}",
  },
  {
    name: "more keys over the samples than a record keeps make a map, as one sample with them all would",
    samples: [keyed(0, 600), keyed(600, 600)],
    schema: { type: "object", additionalProperties: { type: "integer" } },
    type: "export type R = Record<string, number>;",
  },
];

describe("merging samples", () => {
  it.each(TABLE)("$name", ({ samples, schema, type }) => {
    expect(learn(samples)).toEqual(schema);
    expect(typeOf(samples)).toBe(type);
  });

  it("gives the same schema for every order of the samples", () => {
    for (const { samples } of TABLE) {
      const forward = JSON.stringify(learn(samples));
      expect(JSON.stringify(learn([...samples].reverse()))).toBe(forward);
    }
  });

  it("types that compile strictly, accept every sample, and refuse a field no sample had", async () => {
    const dir = await mkdtemp(join(tmpdir(), "refold-results-"));
    const lines: string[] = [];
    TABLE.forEach(({ samples }, index) => {
      lines.push(
        typeOf(samples)
          .replace("export interface R ", `export interface R${index} `)
          .replace("export type R ", `export type R${index} `),
      );
      samples.forEach((sample, at) =>
        lines.push(`export const s${index}_${at}: R${index} = ${JSON.stringify(sample)};`),
      );
    });
    lines.push(
      `// @ts-expect-error objects are closed: a field no sample had is a type error\nexport const extra: R0 = { a: 1, b: 2 };`,
    );
    lines.push(`// @ts-expect-error a required field is required\nexport const missing: R0 = {};`);
    lines.push(`// @ts-expect-error an empty object holds nothing\nexport const full: R6 = { paging: { next: 1 } };`);
    await writeFile(join(dir, "types.ts"), `${lines.join("\n")}\n`);
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await compile(dir, ["types.ts"], "NodeNext");
  });
});

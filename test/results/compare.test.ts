// Result shapes compared, classified for the code that reads them: a table, then `diff --against-results`.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHANGE_KINDS } from "../../generator/diff/types.js";
import { compareResult } from "../../generator/results/compare.js";
import { EMPTY_RESULTS, serializeResults, withEntry } from "../../generator/results/file.js";
import { inferShape, mergeShapes, type Shape } from "../../generator/results/shape.js";
import { catalog, cleanup, configFor, parseJson, pick, project, runCli, writeLockFrom } from "../cli/cli-helpers.js";

afterAll(cleanup);

const learn = (...samples: unknown[]): Shape => samples.map(inferShape).reduce(mergeShapes);

const TABLE: [string, Shape | undefined, Shape | undefined, { kind: string; field?: string; breaking: boolean }[]][] = [
  ["a shape recorded for the first time", undefined, learn({ a: 1 }), [{ kind: "result-added", breaking: false }]],
  ["a shape removed", learn({ a: 1 }), undefined, [{ kind: "result-removed", breaking: true }]],
  [
    "a field added",
    learn({ a: 1 }),
    learn({ a: 1, b: "x" }),
    [{ kind: "result-field-added", field: "b", breaking: false }],
  ],
  [
    "a field gone",
    learn({ a: 1, b: "x" }),
    learn({ a: 1 }),
    [{ kind: "result-field-removed", field: "b", breaking: true }],
  ],
  [
    "a field newly optional",
    learn({ a: 1 }),
    learn({ a: 1 }, {}),
    [{ kind: "result-field-optional", field: "a", breaking: true }],
  ],
  [
    "a field newly always there",
    learn({ a: 1 }, {}),
    learn({ a: 1 }),
    [{ kind: "result-field-required", field: "a", breaking: false }],
  ],
  [
    "a field newly nullable",
    learn({ a: 1 }),
    learn({ a: 1 }, { a: null }),
    [{ kind: "result-field-nullable", field: "a", breaking: true }],
  ],
  [
    "a new type to handle",
    learn({ a: 1 }),
    learn({ a: 1 }, { a: "x" }),
    [{ kind: "result-type-changed", field: "a", breaking: true }],
  ],
  [
    "a type no longer seen",
    learn({ a: 1 }, { a: "x" }),
    learn({ a: 1 }),
    [{ kind: "result-type-narrowed", field: "a", breaking: false }],
  ],
  [
    "inside array items",
    learn({ rows: [{ id: 1 }] }),
    learn({ rows: [{ id: 1, n: 2 }] }),
    [{ kind: "result-field-added", field: "rows[].n", breaking: false }],
  ],
  ["integer to float is no change", learn({ a: 1 }), learn({ a: 1.5 }), []],
  ["the same shape", learn({ a: 1 }), learn({ a: 2 }), []],
];

describe("compareResult", () => {
  it.each(TABLE)("%s", (_name, before, after, want) => {
    expect(
      compareResult(before, after).map(({ kind, field, breaking }) => ({
        kind,
        breaking,
        ...(field ? { field } : {}),
      })),
    ).toEqual(want);
  });

  it("produces every documented result kind", () => {
    const produced = new Set(
      TABLE.flatMap(([, before, after]) => compareResult(before, after).map((change) => change.kind)),
    );
    expect([...produced].sort()).toEqual(CHANGE_KINDS.filter((kind) => kind.startsWith("result-")).sort());
  });
});

describe("diff --against-results", () => {
  it("adds the result shapes' changes to the lock's, counts the breaking ones, and --fail-on sees them", async () => {
    const dir = await project(configFor("http://127.0.0.1:9", { apps: ["hubspot"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"), "same.lock.json");
    const entry = (schema: Shape) => ({ samples: 1, schema });
    await writeFile(
      join(dir, "refold.results.json"),
      serializeResults(withEntry(EMPTY_RESULTS, "hubspot", "get_contact", entry(learn({ id: "1", email: "x" })))),
    );
    await writeFile(
      join(dir, "new.results.json"),
      serializeResults(withEntry(EMPTY_RESULTS, "hubspot", "get_contact", entry(learn({ id: "1" })))),
    );
    const result = await runCli(
      [
        "diff",
        "--against",
        "same.lock.json",
        "--against-results",
        "new.results.json",
        "--json",
        "--fail-on",
        "breaking",
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(parseJson(result)).toMatchObject({
      breaking: 1,
      changes: [
        { app: "hubspot", action: "get_contact", field: "email", kind: "result-field-removed", breaking: true },
      ],
    });
  });
});

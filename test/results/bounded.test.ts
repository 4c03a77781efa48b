// `record` loses nothing and stays bounded: concurrent records all land (merged under a lock), and hostile
// answers (20,000 levels deep, 200,000 keys wide, fields only ever null) give a clear, small, useful shape
// that `generate` and the drift check treat by the same rules.
import { spawnSync } from "node:child_process";
import { readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shapeFromSchema } from "../../generator/results/declared.js";
import { inferShape, mergeShapes, ShapeNotes, type Shape } from "../../generator/results/shape.js";
import { withFileLock } from "../../generator/util/file-lock.js";
import { RESULT_MAX_DEPTH, RESULT_MAX_KEYS, resultProblem, type ResultShape } from "../../templates/runtime/results.js";
import {
  catalog,
  cleanup,
  closedPort,
  configFor,
  parseJson,
  pick,
  project,
  runCli,
  writeLockFrom,
} from "../cli/cli-helpers.js";
import { compile } from "../helpers/tsc.js";

afterAll(cleanup);

const ACTIONS = ["get_contact", "get_contact_by_id", "search_contacts"];

/** A project with one app of three actions, offline (no key, no network). */
async function threeActions(): Promise<string> {
  const dir = await project(
    configFor(`http://127.0.0.1:${await closedPort()}`, { apps: [{ slug: "hubspot", include: ACTIONS }] }),
  );
  await writeLockFrom(dir, pick(await catalog(), "hubspot"));
  return dir;
}

async function saveAnswer(dir: string, name: string, data: unknown): Promise<string> {
  const text = typeof data === "string" ? data : JSON.stringify(data);
  await writeFile(join(dir, name), `{"node_status":"Success","data":${text}}`);
  return name;
}

async function resultsOf(
  dir: string,
): Promise<{ apps: Record<string, Record<string, { samples: number; schema: Shape }>> }> {
  return JSON.parse(await readFile(join(dir, "refold.results.json"), "utf8")) as never;
}

/** `{"a":{"a":...{}}}` nested `levels` deep (as text: JSON.stringify itself overflows on such values). */
const deepObject = (levels: number): string => `${'{"a":'.repeat(levels)}{}${"}".repeat(levels)}`;
const deepArray = (levels: number): string => `${"[".repeat(levels)}1${"]".repeat(levels)}`;

/** How deeply a JSON text nests (strings in it hold no brackets here). */
function nesting(text: string): number {
  let depth = 0;
  let most = 0;
  for (const char of text) {
    if (char === "{" || char === "[") most = Math.max(most, ++depth);
    else if (char === "}" || char === "]") depth--;
  }
  return most;
}

/** What is left of the shape after following `a` `levels` times. */
function follow(shape: Shape, levels: number): unknown {
  let at: unknown = shape;
  for (let level = 0; level < levels; level++) at = (at as { properties: Record<string, unknown> }).properties["a"];
  return at;
}

describe("concurrent records", () => {
  it("many records at once, for three actions and several of the same one, all land: every sample counted, every field kept", async () => {
    const dir = await threeActions();
    const processes = 24;
    const names = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        saveAnswer(dir, `answer-${i}.json`, { shared: "x", [`only${i}`]: i }),
      ),
    );
    const runs = await Promise.all(
      names.map((name, i) =>
        runCli(["record", "hubspot", ACTIONS[i % 3] as string, "--from", name, "--quiet"], {
          cwd: dir,
          timeoutMs: 120_000,
        }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const results = await resultsOf(dir);
    for (const [index, action] of ACTIONS.entries()) {
      const entry = results.apps["hubspot"]?.[action];
      const mine = names.map((_, i) => i).filter((i) => i % 3 === index);
      expect(entry?.samples, action).toBe(mine.length);
      const schema = entry?.schema as { properties: Record<string, unknown>; required: string[] };
      expect(Object.keys(schema.properties).sort()).toEqual(["shared", ...mine.map((i) => `only${i}`)].sort());
      expect(schema.required).toEqual(["shared"]);
    }
    // Neither the lock nor a temporary file is left behind.
    expect((await readdir(dir)).filter((name) => name.includes("results"))).toEqual(["refold.results.json"]);
  }, 180_000);

  it("waits for a live holder of the lock, and takes over one a crashed record left", async () => {
    const dir = await threeActions();
    const lock = join(dir, "refold.results.json.lock");
    await saveAnswer(dir, "a.json", { id: "1" });
    // A live holder (this test's process): the record waits until the lock is gone.
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: "held" }));
    const waiting = runCli(["record", "hubspot", "get_contact", "--from", "a.json"], { cwd: dir });
    const settled = await Promise.race([
      waiting.then(() => "finished"),
      new Promise((r) => setTimeout(() => r("waiting"), 2500)),
    ]);
    expect(settled).toBe("waiting");
    await expect(stat(join(dir, "refold.results.json"))).rejects.toThrow();
    await rm(lock);
    expect((await waiting).code).toBe(0);
    expect((await resultsOf(dir)).apps["hubspot"]?.["get_contact"]?.samples).toBe(1);
    // A lock whose process has ended is stale: taken over at once.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(lock, JSON.stringify({ pid: dead, host: hostname(), token: "crashed" }));
    const after = await runCli(["record", "hubspot", "get_contact", "--from", "a.json"], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(after.ms).toBeLessThan(10_000);
    expect((await resultsOf(dir)).apps["hubspot"]?.["get_contact"]?.samples).toBe(2);
    expect((await readdir(dir)).filter((name) => name.startsWith("refold.results.json."))).toEqual([]);
  }, 60_000);

  it("a failed record leaves the results file as it was, and no lock behind", async () => {
    const dir = await threeActions();
    await writeFile(
      join(dir, "schema.json"),
      JSON.stringify({ type: "object", properties: { id: { type: "string" } } }),
    );
    expect((await runCli(["record", "hubspot", "get_contact", "--schema", "schema.json"], { cwd: dir })).code).toBe(0);
    const before = await readFile(join(dir, "refold.results.json"), "utf8");
    await saveAnswer(dir, "a.json", { id: "1" });
    const refused = await runCli(["record", "hubspot", "get_contact", "--from", "a.json"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(await readFile(join(dir, "refold.results.json"), "utf8")).toBe(before);
    expect(
      (await readdir(dir)).filter((name) => name.includes("results.json") && name !== "refold.results.json"),
    ).toEqual([]);
  });
});

describe("the lock file", () => {
  it("names its live holder when waiting times out, and takes over a lock not refreshed for too long", async () => {
    const dir = await threeActions();
    const target = join(dir, "file.json");
    await writeFile(`${target}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), token: "held" }));
    await expect(withFileLock(target, async () => "ran", { timeoutMs: 300 })).rejects.toThrow(
      new RegExp(`file\\.json\\.lock is still held by process ${process.pid}`),
    );
    // The same live pid, but an hour without a refresh: a frozen or foreign holder.
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(`${target}.lock`, hourAgo, hourAgo);
    await expect(withFileLock(target, async () => "ran", { timeoutMs: 5_000 })).resolves.toBe("ran");
    await expect(stat(`${target}.lock`)).rejects.toThrow();
  });

  it("serializes the work of many holders in one process", async () => {
    const dir = await threeActions();
    const target = join(dir, "counter.json");
    await writeFile(target, "0");
    await Promise.all(
      Array.from({ length: 40 }, () =>
        withFileLock(target, async () => {
          const count = Number(await readFile(target, "utf8"));
          await new Promise((r) => setTimeout(r, 1));
          await writeFile(target, String(count + 1));
        }),
      ),
    );
    expect(await readFile(target, "utf8")).toBe("40");
  });
});

describe("hostile answers", () => {
  it.each([
    ["20,000 levels of objects", deepObject(20_000)],
    ["2,000 levels of objects", deepObject(2_000)],
    ["20,000 levels of arrays", deepArray(20_000)],
  ])(
    "%s: recorded, cut at the stated depth as unknown, generated; no crash",
    async (_name, data) => {
      const dir = await threeActions();
      await saveAnswer(dir, "deep.json", data);
      const result = await runCli(["record", "hubspot", "get_contact", "--from", "deep.json"], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(
        new RegExp(`limit: field .* ${RESULT_MAX_DEPTH} levels deep, the depth limit: recorded as unknown`),
      );
      const schema = (await resultsOf(dir)).apps["hubspot"]?.["get_contact"]?.schema as Shape;
      if (data.startsWith("{")) {
        expect(follow(schema, RESULT_MAX_DEPTH - 1)).toMatchObject({ type: "object" });
        expect(follow(schema, RESULT_MAX_DEPTH)).toEqual({});
      }
      expect(nesting(await readFile(join(dir, "refold.results.json"), "utf8"))).toBeLessThan(4 * RESULT_MAX_DEPTH);
      const generated = await runCli(["generate", "--offline"], { cwd: dir });
      expect(generated.code, generated.stderr).toBe(0);
      expect(await readFile(join(dir, "generated", "hubspot.ts"), "utf8")).toMatch(/unknown/);
      // The drift check accepts the deep answer itself, and finds no crash in it.
      expect(resultProblem(JSON.parse(data), schema as ResultShape)).toBeUndefined();
    },
    60_000,
  );

  it("generate applies the same depth rule to a results file nested 20,000 levels deep (hand-made or older)", async () => {
    const dir = await threeActions();
    const deepShape = `${'{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":'.repeat(20_000)}{"type":"string"}${"}}".repeat(20_000)}`;
    await writeFile(
      join(dir, "refold.results.json"),
      `{"apps":{"hubspot":{"get_contact":{"samples":1,"schema":${deepShape}}}},"resultsVersion":1}\n`,
    );
    const generated = await runCli(["generate", "--offline"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    const module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    // 32 levels of named fields (the last one unknown), not 20,000.
    expect(module.match(/ {2}a: \{/g)?.length).toBe(RESULT_MAX_DEPTH - 1);
    expect((await runCli(["generate", "--offline", "--check"], { cwd: dir })).code).toBe(0);
    // Recording into it merges within the limits too.
    await saveAnswer(dir, "a.json", { a: { a: "x" } });
    const merged = await runCli(["record", "hubspot", "get_contact", "--from", "a.json"], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(0);
    expect(nesting(await readFile(join(dir, "refold.results.json"), "utf8"))).toBeLessThan(4 * RESULT_MAX_DEPTH);
  }, 60_000);

  it("the drift check stops at the same depth, even on a shape deeper than record would keep", () => {
    const shape = JSON.parse(
      `${'{"type":"object","properties":{"a":'.repeat(5_000)}{"type":"string"}${"}}".repeat(5_000)}`,
    ) as ResultShape;
    const nested = (levels: number, leaf: unknown): unknown => {
      let value = leaf;
      for (let level = 0; level < levels; level++) value = { a: value };
      return value;
    };
    expect(resultProblem(nested(10, 1), shape)).toMatchObject({ reason: "expected object, got number" });
    expect(resultProblem(nested(RESULT_MAX_DEPTH, 1), shape)).toMatchObject({ reason: "expected object, got number" });
    // Below the depth limit nothing is checked (record would have recorded unknown there).
    expect(resultProblem(nested(RESULT_MAX_DEPTH + 8, 1), shape)).toBeUndefined();
    expect(resultProblem(nested(20_000, 1), shape)).toBeUndefined();
  });

  it("200,000 keys that do not look like data: a map, in a small file, quickly, with a short printout", async () => {
    const dir = await threeActions();
    const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    await saveAnswer(dir, "wide.json", { items: wide, total: 1 });
    const result = await runCli(["record", "hubspot", "get_contact", "--from", "wide.json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(15_000);
    expect(result.stdout).toMatch(
      new RegExp(`limit: field items has 200000 keys, more than ${RESULT_MAX_KEYS}: recorded as a map`),
    );
    expect(result.stdout.trim().split("\n").length).toBeLessThanOrEqual(4);
    expect((await stat(join(dir, "refold.results.json"))).size).toBeLessThan(2_000);
    // A second sample of the same keys: as quick (merging records was quadratic in their keys).
    const again = await runCli(["record", "hubspot", "get_contact", "--from", "wide.json"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.ms).toBeLessThan(15_000);
    expect((await runCli(["generate", "--offline"], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, "generated", "hubspot.ts"), "utf8")).toMatch(/items: Record<string, number>;/);
  }, 60_000);

  it("200,000 distinct keys spread over an array's items: one map, not 200,000 optional fields", async () => {
    const dir = await threeActions();
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ [`a${i}`]: "x", [`b${i}`]: true }));
    await saveAnswer(dir, "rows.json", { rows });
    const result = await runCli(["record", "hubspot", "get_contact", "--from", "rows.json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.ms).toBeLessThan(15_000);
    expect(result.stdout).toMatch(
      new RegExp(
        `limit: field rows\\[\\] has more than ${RESULT_MAX_KEYS} distinct keys over the samples \\(or items\\) merged: recorded as a map`,
      ),
    );
    expect((await resultsOf(dir)).apps["hubspot"]?.["get_contact"]?.schema).toEqual({
      type: "object",
      properties: {
        rows: {
          type: "array",
          items: { type: "object", additionalProperties: { anyOf: [{ type: "string" }, { type: "boolean" }] } },
        },
      },
      required: ["rows"],
      additionalProperties: false,
    });
  }, 60_000);

  it("a long list of changes is summarized (counts, the first lines); --json lists every one", async () => {
    const dir = await threeActions();
    await saveAnswer(dir, "small.json", { id: "1" });
    await saveAnswer(dir, "more.json", {
      id: "1",
      ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field${i}`, i])),
    });
    expect((await runCli(["record", "hubspot", "get_contact", "--from", "small.json"], { cwd: dir })).code).toBe(0);
    const printed = await runCli(["record", "hubspot", "get_contact", "--from", "more.json"], { cwd: dir });
    expect(printed.code, printed.stderr).toBe(0);
    const lines = printed.stdout.trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(25);
    expect(printed.stdout).toMatch(/300 changes \(0 breaking\): 300 result-field-added/);
    expect(printed.stdout).toMatch(/\.\.\. and 280 more changes \(--json lists them all\)/);
    await rm(join(dir, "refold.results.json"));
    expect((await runCli(["record", "hubspot", "get_contact", "--from", "small.json"], { cwd: dir })).code).toBe(0);
    const json = await runCli(["record", "hubspot", "get_contact", "--from", "more.json", "--json"], { cwd: dir });
    expect(parseJson<{ changes: unknown[] }>(json).changes).toHaveLength(300);
  }, 60_000);
});

describe("declared schemas keep the same limits", () => {
  it("a recursive schema (a tree of $refs) is cut at the depth limit; a loop of $refs that never nests is refused", () => {
    const tree = {
      $ref: "#/$defs/node",
      $defs: { node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } } } },
    };
    const notes = new ShapeNotes();
    const shape = shapeFromSchema(tree, "tree.json", notes);
    let at: unknown = shape;
    let levels = 0;
    while ((at as { properties?: { children?: { items?: unknown } } }).properties?.children?.items !== undefined) {
      at = (at as { properties: { children: { items: unknown } } }).properties.children.items;
      levels += 2;
    }
    expect(levels).toBe(RESULT_MAX_DEPTH);
    expect(notes.list()).toEqual([expect.objectContaining({ rule: "depth" })]);
    expect(() => shapeFromSchema({ $ref: "#/$defs/a", $defs: { a: { $ref: "#/$defs/a" } } }, "loop.json")).toThrow(
      /refers to itself without nesting/,
    );
  });

  it("more declared properties than a record keeps make a map; a schema naming no type is unknown", () => {
    const properties = Object.fromEntries(
      Array.from({ length: RESULT_MAX_KEYS + 1 }, (_, i) => [`p${i}`, { type: "integer" }]),
    );
    expect(shapeFromSchema({ type: "object", properties }, "wide.json")).toEqual({
      type: "object",
      additionalProperties: { type: "integer" },
    });
    expect(shapeFromSchema({ type: "object", properties: { any: {}, also: true } }, "any.json")).toEqual({
      type: "object",
      properties: { also: {}, any: {} },
      required: [],
      additionalProperties: false,
    });
  });

  it("unknown absorbs whatever it merges with, in any order", () => {
    const cut = inferShape(JSON.parse(deepObject(RESULT_MAX_DEPTH + 1)));
    const shallow = inferShape(JSON.parse(deepObject(3)));
    expect(JSON.stringify(mergeShapes(cut, shallow))).toBe(JSON.stringify(mergeShapes(shallow, cut)));
    expect(follow(mergeShapes(cut, shallow), RESULT_MAX_DEPTH)).toEqual({});
    expect(mergeShapes({}, { type: "null" })).toEqual({});
    expect(mergeShapes({ anyOf: [{ type: "string" }, { type: "null" }] }, {})).toEqual({});
  });
});

describe("fields only ever null", () => {
  it("are typed unknown, the drift check accepts any value there, and the first real value is not breaking", async () => {
    const dir = await threeActions();
    await saveAnswer(dir, "issue.json", { id: 1, milestone: null, assignee: null, labels: [] });
    expect((await runCli(["record", "hubspot", "get_contact", "--from", "issue.json"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["generate", "--offline"], { cwd: dir })).code).toBe(0);
    const module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    expect(module).toMatch(
      /\/\*\* Only null in every sample so far: its type is not known yet\. \*\/\n {2}milestone: unknown;/,
    );
    expect(module).toMatch(/labels: unknown\[\];/);
    const schema = (await resultsOf(dir)).apps["hubspot"]?.["get_contact"]?.schema as ResultShape;
    for (const milestone of [null, { title: "v1" }, "v1", 3, [1]])
      expect(
        resultProblem({ id: 2, milestone, assignee: null, labels: [] }, schema),
        JSON.stringify(milestone),
      ).toBeUndefined();
    expect(resultProblem({ id: "2", milestone: null, assignee: null, labels: [] }, schema)).toMatchObject({
      path: "$.id",
    });
    // The typed client compiles reading it as unknown, and narrows it like any unknown.
    await writeFile(
      join(dir, "usage.ts"),
      `import type { HubspotGetContactResult } from "./generated/index.js";
export function title(result: HubspotGetContactResult): string | undefined {
  const m = result.milestone;
  // @ts-expect-error unknown is not a string until narrowed
  const wrong: string = m;
  void wrong;
  return typeof m === "object" && m !== null && "title" in m ? String(m.title) : undefined;
}
`,
    );
    await compile(dir, ["usage.ts", "generated/**/*.ts"], "NodeNext", "dist");
    await saveAnswer(dir, "later.json", { id: 3, milestone: { title: "v1" }, assignee: null, labels: [] });
    const later = await runCli(["record", "hubspot", "get_contact", "--from", "later.json", "--json"], { cwd: dir });
    expect(later.code, later.stderr).toBe(0);
    expect(parseJson<{ changes: unknown[] }>(later).changes).toEqual([
      expect.objectContaining({ kind: "result-type-narrowed", field: "milestone", breaking: false }),
    ]);
  }, 120_000);
});

/*
 * Product bugs the property tests found, each kept as its minimal reproducing input: all fixed, so each
 * test here is a plain `it` that fails if its bug comes back. A bug found but not yet fixed is added as
 * `it.fails` until its fix turns it red. (Bugs A-E and G need a compiled client: see compiled.test.ts.)
 */
import { Buffer } from "node:buffer";
import { afterAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { idSuffix } from "../../generator/model/naming.js";
import { RefoldClient } from "../../templates/runtime/index.js";
import type { ActionSpec } from "../../templates/runtime/types.js";
import type { Catalog } from "../helpers/project.js";
import { actionRow } from "../../generator/emit/action-table.js";
import { decodeField } from "../../templates/runtime/bind.js";
import { emit, emittedData } from "./support.js";

/** One app `a` with one action `x` whose parameter list is `fields`. */
const oneAction = (fields: unknown[], entry: Record<string, unknown> = {}): Catalog => ({
  apps: { a: { actions: [{ action_id: "x", ...entry }], parameters: { x: fields } } },
});

describe("determinism", () => {
  // BUG J: an action listed twice (same id, different names) keeps the LAST entry after a stable sort, so
  // the generated name and docs (and the lock's bytes) depend on the order the API lists actions in.
  // The emulator, for its part, serves the FIRST entry.
  it("J: an action listed twice gives the same output in either listing order", async () => {
    const first = { action_id: "x", name: "First" };
    const second = { action_id: "x", name: "Second" };
    const one = await emit({ apps: { a: { actions: [first, second], parameters: { x: [] } } } });
    const other = await emit({ apps: { a: { actions: [second, first], parameters: { x: [] } } } });
    expect(emittedData(other.files)).toEqual(emittedData(one.files));
  });
});

describe("file names", () => {
  // BUG H: fileBase() never shortens a slug, so a slug of 300 characters gives a 303-byte file name, and
  // the write stage fails with ENAMETOOLONG (most file systems allow 255 bytes per name).
  it("H: every output file name fits in 255 bytes", async () => {
    const slug = "a".repeat(300);
    const { model } = await emit({ apps: { [slug]: { actions: [{ action_id: "x" }], parameters: { x: [] } } } });
    for (const app of model.apps) expect(Buffer.byteLength(`${app.file}.ts`)).toBeLessThanOrEqual(255);
  });

  // BUG I: a suffixed name (`<base>_<6 hex of sha256(slug)>`) is not checked against names already given
  // out, so a slug that literally is another's suffixed name and sorts before it takes the same file: here
  // "zed~~" and "zed_befd2b" both get `zed_befd2b.ts`, one module overwriting the other.
  it("I: file names stay unique when a slug equals another slug's suffixed name", async () => {
    const slugs = ["zed~", "zed~~", `zed_${idSuffix("zed~~")}`];
    const apps = Object.fromEntries(
      slugs.map((slug) => [slug, { actions: [{ action_id: "x" }], parameters: { x: [] } }]),
    );
    const { model } = await emit({ apps });
    const files = model.apps.map((app) => app.file);
    expect(new Set(files).size).toBe(files.length);
  });
});

describe("runtime against the emulator", () => {
  let mock: MockServer | undefined;
  afterAll(async () => {
    await mock?.close();
  });

  // BUG F: a parameter of type "array" without `items` is typed `readonly JsonValue[]` (null allowed) and
  // the emulator accepts `[1, null]`, but the runtime's local validation refuses null items of any array
  // ("parameter "list[1]" must not be empty"), so a well-typed call rejects before sending.
  it("F: a null item in an array of JSON values is sent", async () => {
    mock = await startMock({ apps: oneAction([{ name: "list", type: "array" }]).apps, apiKey: "k" });
    const client = new RefoldClient({ apiKey: "k", baseUrl: mock.url, linkedAccountId: "acct", maxRetries: 0 });
    // the spec the generated module's action table gives the runtime for this action
    const catalog = oneAction([{ name: "list", type: "array" }]);
    const action = (await emit(catalog)).model.apps[0]?.actions[0];
    if (action === undefined) throw new Error("no action");
    const spec: ActionSpec = {
      app: "a",
      action: "x",
      kind: "write",
      fields: actionRow(action).slice(2).map(decodeField),
    };
    expect(spec.fields).toEqual([{ name: "list", type: "array", items: { name: "", type: "json" } }]);
    try {
      await expect(client.run(spec, { list: [1, null] })).resolves.toMatchObject({ echo: { list: [1, null] } });
    } finally {
      await client.close();
    }
  });
});

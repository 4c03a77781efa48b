import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, pull, readLock, render } from "../../generator/index.js";
import { serializeLock } from "../../generator/lock/write.js";
import { startMock } from "../../generator/mock/index.js";
import { lockFromCatalog, sampleCatalog, tempProject } from "../helpers/project.js";

async function project(): Promise<string> {
  const dir = await tempProject({ apps: ["hubspot", "jira"], linkedAccountId: "a" });
  const catalog = await sampleCatalog();
  const apps = { hubspot: catalog.apps["hubspot"]!, jira: catalog.apps["jira"]! };
  await writeFile(join(dir, "refold.lock.json"), serializeLock(lockFromCatalog({ apps })));
  return dir;
}

describe("render (programmatic API)", () => {
  it("renders a lock read with the exported readLock, writing nothing (docs/api.md)", async () => {
    const dir = await project();
    const lock = await readLock(join(dir, "refold.lock.json"));
    if (lock === undefined) throw new Error("the project has a lock");
    const apps = [{ slug: "hubspot", kinds: {} }];
    const { files } = await render(lock, { apps, emit: { schemas: false, openapi: false, mcp: false } });
    expect([...files.keys()]).toEqual(expect.arrayContaining(["index.ts", "hubspot.ts", "runtime/client.ts"]));
    expect(files.has("jira.ts")).toBe(false);
  });
});

describe("generate (programmatic API) on an unchanged project", () => {
  it("writes nothing when nothing changed: every file keeps its bytes and its mtime", async () => {
    const dir = await project();
    const cold = await generate({ cwd: dir, offline: true });
    expect(cold.output.added.length).toBeGreaterThan(5);
    const output = join(dir, "generated");
    const times = async () =>
      Promise.all(cold.files.sort().map(async (path) => [path, (await stat(join(output, path))).mtimeMs]));
    const before = await times();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await generate({ cwd: dir, offline: true });
    expect(again.output).toEqual({ changed: [], added: [], removed: [] });
    expect(again.files.sort()).toEqual(cold.files.sort());
    expect(await times()).toEqual(before);
  });

  it("repairs a hand-edited file, and regenerates after a config change", async () => {
    const dir = await project();
    await generate({ cwd: dir, offline: true });
    const path = join(dir, "generated", "runtime", "client.ts");
    const original = await readFile(path, "utf8");
    await writeFile(path, `${original}// edited\n`);
    const repaired = await generate({ cwd: dir, offline: true });
    expect(repaired.output.changed).toEqual(["runtime/client.ts"]);
    expect(await readFile(path, "utf8")).toBe(original);

    await writeFile(join(dir, "refold.codegen.json"), JSON.stringify({ apps: ["jira"], linkedAccountId: "a" }));
    const narrowed = await generate({ cwd: dir, offline: true });
    expect(narrowed.output).toEqual({ changed: ["index.ts"], added: [], removed: ["hubspot.ts"] });
  });
});

describe("generate (programmatic API) right after a pull", () => {
  it("writes what an offline run writes from the lock file, whatever key order the API answered in", async () => {
    // A nested object given as a `properties` map, its keys not in code-unit order.
    const properties = { zip: { type: "text" }, email: { type: "email" }, address: { type: "text" } };
    const apps = {
      shop: {
        actions: [{ action_id: "create_order", name: "Create order" }],
        parameters: { create_order: [{ name: "customer", type: "object", required: true, properties }] },
      },
    };
    const server = await startMock({ apps, apiKey: "tk_test_key_0123" });
    try {
      const dir = await tempProject({ apps: ["shop"], linkedAccountId: "a" });
      const env = { REFOLD_API_KEY: "tk_test_key_0123", REFOLD_BASE_URL: server.url };
      const pulled = await generate({ cwd: dir, env });
      expect(pulled.pulled).toBe(true);
      const check = await generate({ cwd: dir, check: true });
      expect(check.output).toEqual({ changed: [], added: [], removed: [] });
      const module = await readFile(join(dir, "generated", "shop.ts"), "utf8");
      expect(module.indexOf("address")).toBeLessThan(module.indexOf("zip"));

      // pull() then an offline generate: the same.
      await pull({ cwd: dir, env });
      expect((await generate({ cwd: dir, check: true })).output.changed).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

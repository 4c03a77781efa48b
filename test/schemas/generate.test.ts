// `emit` through the config and `generate`: off by default, validated, written, checked and removed like
// every other output file; the repository's own generated/ holds the files its config asks for.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveConfig } from "../../generator/config/load.js";
import { CodegenError, generate } from "../../generator/index.js";
import { readLock } from "../../generator/lock/read.js";
import { serializeLock } from "../../generator/lock/write.js";
import { buildModel } from "../../generator/model/build.js";
import { emitSchemaFiles } from "../../generator/schemas/index.js";
import { lockFromCatalog, sampleCatalog, tempProject } from "../helpers/project.js";

const JSON_FILES = [
  "openapi.json",
  "schemas/google-sheets.json",
  "schemas/hubspot.json",
  "schemas/jira.json",
  "schemas/salesforce.json",
  "schemas/slack.json",
];
const APPS = ["hubspot", "salesforce", "google-sheets", "slack", "jira"];

async function configError(raw: unknown): Promise<string> {
  try {
    await resolveConfig(raw, "/p/refold.codegen.json");
  } catch (error) {
    if (error instanceof CodegenError) return error.message;
    throw error;
  }
  throw new Error("the config was accepted");
}

async function projectWith(emit: unknown): Promise<string> {
  const dir = await tempProject({
    baseUrl: "http://127.0.0.1:9/machine-specific",
    linkedAccountId: "private-account-id",
    apps: APPS,
    ...(emit !== undefined ? { emit } : {}),
  });
  await writeFile(join(dir, "refold.lock.json"), serializeLock(lockFromCatalog(await sampleCatalog())));
  return dir;
}

async function setEmit(dir: string, emit: unknown): Promise<void> {
  const path = join(dir, "refold.codegen.json");
  const config = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(path, JSON.stringify({ ...config, emit }, null, 2));
}

async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const text = await readFile(join(dir, name), "utf8").catch(() => undefined);
    if (text !== undefined) files.set(name.split("\\").join("/"), text);
  }
  return files;
}

const offline = (dir: string, extra: object = {}) =>
  generate({ cwd: dir, offline: true, env: { REFOLD_BASE_URL: "http://10.0.0.1:1234" }, ...extra });

describe("config emit", () => {
  it("defaults to nothing extra", async () => {
    const config = await resolveConfig({ apps: ["a"] }, "/p/refold.codegen.json");
    expect(config.emit).toEqual({ schemas: false, openapi: false, mcp: false });
    const some = await resolveConfig({ apps: ["a"], emit: { openapi: true } }, "/p/refold.codegen.json");
    expect(some.emit).toEqual({ schemas: false, openapi: true, mcp: false });
  });

  it("is validated against config.schema.json", async () => {
    expect(await configError({ apps: ["a"], emit: { schema: true } })).toMatch(
      /emit\.schema is not a known key; did you mean "schemas"\?/,
    );
    expect(await configError({ apps: ["a"], emit: { openapi: "yes" } })).toMatch(/emit\.openapi must be a boolean/);
    expect(await configError({ apps: ["a"], emit: true })).toMatch(/emit must be an object/);
  });
});

describe("generate with emit", () => {
  it("writes nothing extra by default, and the TypeScript output is the same with or without emit", async () => {
    const plain = await projectWith(undefined);
    const result = await offline(plain);
    expect(result.files.filter((path) => path.endsWith(".json"))).toEqual(["package.json"]);
    const both = await projectWith({ schemas: true, openapi: true });
    const withJson = await offline(both);
    expect(withJson.files.filter((path) => path.endsWith(".json") && path !== "package.json").sort()).toEqual(
      JSON_FILES,
    );
    const a = await tree(join(plain, "generated"));
    const b = await tree(join(both, "generated"));
    // Opting in only adds files: every TypeScript file is byte-identical.
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
    expect([...b.keys()].filter((path) => !a.has(path)).sort()).toEqual(JSON_FILES);
  });

  it("writes, checks, keeps and removes the JSON files like the other output files", async () => {
    const dir = await projectWith({ schemas: true, openapi: true });
    const first = await offline(dir);
    expect(first.output.added).toEqual(expect.arrayContaining(JSON_FILES));
    const written = await tree(join(dir, "generated"));
    for (const path of JSON_FILES) expect(written.get(path), path).toMatch(/^\{\n {2}"(\$comment|openapi)"/);

    // A warm run and --check find nothing to do.
    const again = await offline(dir);
    expect(again.output).toEqual({ changed: [], added: [], removed: [] });
    const check = await offline(dir, { check: true });
    expect(check.output).toEqual({ changed: [], added: [], removed: [] });

    // A hand-edited JSON file is stale for --check and rewritten by generate (it still carries the marker).
    const hubspot = join(dir, "generated", "schemas", "hubspot.json");
    await writeFile(hubspot, (await readFile(hubspot, "utf8")).replace('"hubspot__create_contact"', '"x"'));
    expect((await offline(dir, { check: true })).output.changed).toEqual(["schemas/hubspot.json"]);
    expect((await offline(dir)).output.changed).toEqual(["schemas/hubspot.json"]);
    expect(await readFile(hubspot, "utf8")).toBe(written.get("schemas/hubspot.json"));

    // Turning one off removes its files and nothing else.
    await setEmit(dir, { schemas: true });
    const fewer = await offline(dir);
    expect(fewer.output).toEqual({ changed: [], added: [], removed: ["openapi.json"] });
    await setEmit(dir, {});
    const none = await offline(dir);
    expect(none.output.removed.sort()).toEqual(JSON_FILES.filter((path) => path !== "openapi.json"));
  });

  it("never writes the config's base URL, the environment's, or the linked account into the output", async () => {
    const dir = await projectWith({ schemas: true, openapi: true });
    await offline(dir);
    const files = await tree(join(dir, "generated"));
    for (const path of JSON_FILES) {
      const text = files.get(path) ?? "";
      expect(text).not.toMatch(/127\.0\.0\.1|10\.0\.0\.1|machine-specific|private-account-id/);
    }
    expect(files.get("openapi.json")).toContain('"url": "https://app.refold.ai"');
  });
});

describe("the repository's generated/", () => {
  it("holds the tool schemas and the OpenAPI document its config asks for, as generate renders them", async () => {
    const config = await loadConfig("refold.codegen.json", {});
    expect(config.emit).toEqual({ schemas: true, openapi: true, mcp: false });
    const lock = await readLock(config.lockfilePath);
    if (!lock) throw new Error("no committed lock");
    const { model } = buildModel(lock, config.apps);
    const expected = emitSchemaFiles(model, config.emit);
    expect([...expected.keys()].sort()).toEqual(JSON_FILES);
    for (const [path, text] of expected) expect(await readFile(join("generated", path), "utf8"), path).toBe(text);
    const committed = (await readdir("generated", { recursive: true })).filter((name) => name.endsWith(".json"));
    expect(committed.sort()).toEqual(["package.json", ...JSON_FILES].sort());
  });
});

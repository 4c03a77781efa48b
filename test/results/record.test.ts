// `record` end to end: its three sources, its safety rules, what it stores, and the typed methods it gives.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { record } from "../../generator/commands/record.js";
import { readLock } from "../../generator/lock/read.js";
import { render } from "../../generator/pipeline/render.js";
import { inferShape, mergeShapes } from "../../generator/results/shape.js";
import { readResults, serializeResults, withEntry, EMPTY_RESULTS } from "../../generator/results/file.js";
import {
  KEY,
  catalog,
  cleanup,
  closedPort,
  configFor,
  emulator,
  parseJson,
  pick,
  project,
  runCli,
  writeLockFrom,
} from "../cli/cli-helpers.js";
import { compile } from "../helpers/tsc.js";

afterAll(cleanup);

const ANSWERS = join(process.cwd(), "test", "fixtures", "answers", "hubspot");
const withKey = { REFOLD_API_KEY: KEY };

/** A project with hubspot in its lock, generated once, against `baseUrl`. */
async function hubspotProject(baseUrl: string): Promise<string> {
  const dir = await project(configFor(baseUrl, { apps: ["hubspot"] }));
  await writeLockFrom(dir, pick(await catalog(), "hubspot"));
  return dir;
}

describe("record", () => {
  it("--from reads saved answers (envelope or bare data) with no network and no key, and types the method", async () => {
    const dir = await hubspotProject(`http://127.0.0.1:${await closedPort()}`);
    const from = [
      "create_contact.v2-reference.json",
      "create_contact.v3-read-write-guide.json",
      "create_contact.v3-quickstart.json",
    ];
    const result = await runCli(
      ["record", "hubspot", "create_contact", "--json", ...from.flatMap((f) => ["--from", join(ANSWERS, f)])],
      {
        cwd: dir,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({ samples: 3, source: "file" });
    const generated = await runCli(["generate", "--offline"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    const module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    expect(module).toContain(
      "createContact(params: HubspotCreateContactParams, options?: CallOptions): Promise<HubspotCreateContactResult>;",
    );
    expect(module).toMatch(/export interface HubspotCreateContactResult \{\n {2}archived\?: boolean;/);
    // A key only the v2 sample had is optional; one every sample had is required.
    expect(module).toMatch(/\n {2}id: string;/);
    expect(module).toMatch(/\n {2}properties\?: \{/);
  });

  it("refuses a write action without --allow-write: exit 2, nothing sent", async () => {
    const server = await emulator();
    const dir = await hubspotProject(server.url);
    const result = await runCli(["record", "hubspot", "create_contact", "--params", '{"email":"a@b.c"}'], {
      cwd: dir,
      env: withKey,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/create_contact is a write action[\s\S]*--allow-write/);
    expect(server.requests).toEqual([]);
    const allowed = await runCli(
      ["record", "hubspot", "create_contact", "--allow-write", "--params", '{"email":"a@b.c"}'],
      {
        cwd: dir,
        env: withKey,
      },
    );
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/api/v2/integration-schema/hubspot/actions/create_contact/execute",
    ]);
  });

  it("runs a read once against the API with --params, and a second run merges (sample count, learned fields)", async () => {
    const server = await emulator();
    const dir = await hubspotProject(server.url);
    const first = await runCli(["record", "hubspot", "get_contact", "--params", '{"limit":"1"}'], {
      cwd: dir,
      env: withKey,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/hubspot get_contact: 1 sample merged into .*refold\.results\.json/);
    expect(first.stdout).toMatch(/the result now has a recorded shape/);
    server.setAnswer("hubspot", "get_contact", {
      data: { results: [], paging: { next: { after: "x" } }, total: null },
    });
    const second = await runCli(["record", "hubspot", "get_contact", "--json"], { cwd: dir, env: withKey });
    expect(second.code, second.stderr).toBe(0);
    const changes = parseJson<{ samples: number; changes: { kind: string; field?: string }[] }>(second);
    expect(changes.samples).toBe(2);
    expect(changes.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "result-field-added", field: "total" }),
        expect.objectContaining({ kind: "result-field-optional", field: "action" }),
      ]),
    );
    expect(server.requests.every((r) => r.headers["linked_account_id"] === "acct-cli-1")).toBe(true);
  });

  it("--schema takes a declared JSON Schema ($defs, nullable, enum widened to its type)", async () => {
    const dir = await hubspotProject("http://127.0.0.1:9");
    const schema = {
      type: "object",
      properties: {
        id: { type: "string" },
        stage: { enum: ["lead", "customer"] },
        owner: { $ref: "#/$defs/owner" },
      },
      required: ["id"],
      $defs: { owner: { type: ["object", "null"], properties: { email: { type: "string", format: "email" } } } },
    };
    await writeFile(join(dir, "schema.json"), JSON.stringify(schema));
    const result = await runCli(["record", "hubspot", "get_contact_by_id", "--schema", "schema.json", "--json"], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(dir, "refold.results.json"), "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(results)).not.toMatch(/lead|customer/);
    expect((await runCli(["generate", "--offline"], { cwd: dir })).code).toBe(0);
    const module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    expect(module).toContain(
      "getContactById(params: HubspotGetContactByIdParams, options?: CallOptions): Promise<HubspotGetContactByIdResult>;",
    );
    expect(module).toMatch(/owner\?: \{\n {4}\/\*\* @format email \*\/\n {4}email\?: string;\n {2}\} \| null;/);
    expect(module).toMatch(/stage\?: string;/);
    const refused = await runCli(
      ["record", "hubspot", "get_contact_by_id", "--from", join(ANSWERS, "get_contact.v3-reference.json")],
      { cwd: dir },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/declared result schema/);
  });

  it("names the app and the action it does not know, and the fix (exit 2)", async () => {
    const dir = await hubspotProject("http://127.0.0.1:9");
    const app = await runCli(["record", "nope", "x", "--from", join(ANSWERS, "get_contact.v3-reference.json")], {
      cwd: dir,
    });
    expect(app.code).toBe(2);
    expect(app.stderr).toMatch(/app nope is not in/);
    const action = await runCli(
      ["record", "hubspot", "no_such", "--from", join(ANSWERS, "get_contact.v3-reference.json")],
      { cwd: dir },
    );
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/action no_such of app hubspot[\s\S]*refold-codegen list hubspot/);
  });
});

describe("the results file", () => {
  it("is byte-identical whatever order the samples came in", async () => {
    const answers = await Promise.all(
      [
        "create_contact.v2-reference.json",
        "create_contact.v3-read-write-guide.json",
        "create_contact.v3-quickstart.json",
      ].map(async (name) => (JSON.parse(await readFile(join(ANSWERS, name), "utf8")) as { data: unknown }).data),
    );
    const bytes = (order: readonly unknown[]) =>
      serializeResults(
        withEntry(EMPTY_RESULTS, "hubspot", "create_contact", {
          samples: order.length,
          schema: order.map(inferShape).reduce(mergeShapes),
        }),
      );
    const reference = bytes(answers);
    for (const order of [
      [2, 1, 0],
      [1, 0, 2],
      [0, 2, 1],
    ])
      expect(bytes(order.map((i) => answers[i]))).toBe(reference);
  });

  it("never holds a value of a sample, nor does the generated code (property)", async () => {
    const dir = await hubspotProject("http://127.0.0.1:9");
    await mkdir(join(dir, "answers"), { recursive: true });
    // Values distinctive enough that finding one anywhere means it leaked.
    const marked = fc.stringMatching(/^[a-z]{3}[0-9]{5}[a-z]{3}$/);
    const value = fc.oneof(marked, fc.integer({ min: 10_000_000, max: 99_999_999 }), fc.constant(null), fc.boolean());
    const sample = fc.dictionary(
      fc.constantFrom("id", "email", "name", "created", "tags", "owner"),
      fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b"), value)),
    );
    const cases = fc.sample(fc.array(sample, { minLength: 1, maxLength: 4 }), { seed: 20240611, numRuns: 25 });
    for (const [index, samples] of cases.entries()) {
      await rm(join(dir, "refold.results.json"), { force: true });
      const files = samples.map((_, at) => join(dir, "answers", `${index}-${at}.json`));
      await Promise.all(
        samples.map((s, at) => writeFile(files[at] as string, JSON.stringify({ node_status: "Success", data: s }))),
      );
      await record("hubspot", "get_contact", { cwd: dir, from: files });
      const stored = await readFile(join(dir, "refold.results.json"), "utf8");
      const lock = await readLock(join(dir, "refold.lock.json"));
      const config = { apps: [{ slug: "hubspot", kinds: {} }], emit: { schemas: false, openapi: false, mcp: false } };
      const { files: output } = await render(lock!, config, await readResults(join(dir, "refold.results.json")));
      const text = `${stored}\n${output.get("hubspot.ts") ?? ""}`;
      for (const leaked of values(samples)) expect(text, `sample value ${leaked} leaked`).not.toContain(leaked);
    }
  }, 120_000);
});

/** Every string and number of the samples, as text. */
function values(samples: unknown): string[] {
  if (typeof samples === "string") return [samples];
  if (typeof samples === "number") return [String(samples)];
  if (Array.isArray(samples)) return samples.flatMap(values);
  if (typeof samples === "object" && samples !== null) return Object.values(samples).flatMap(values);
  return [];
}

describe("typed results against the emulator", () => {
  it("hostile field names compile, keep their exact keys, and the emulator answers in shape", async () => {
    const hostile = {
      "x-request-id": "r",
      constructor: "c",
      __proto__x: 1,
      "🙂": true,
      "a*/b": [1],
      toString: null,
      ok: { "": 1 },
    };
    const dir = await hubspotProject("http://127.0.0.1:9");
    await writeFile(join(dir, "answer.json"), JSON.stringify({ node_status: "Success", data: { ...hostile } }));
    // __proto__ as an own key, as JSON.parse makes it.
    const withProto = `{"node_status":"Success","data":{"__proto__":{"inner":"x"},"plain":1}}`;
    await writeFile(join(dir, "proto.json"), withProto);
    expect((await runCli(["record", "hubspot", "get_contact", "--from", "answer.json"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["record", "hubspot", "search_contacts", "--from", "proto.json"], { cwd: dir })).code).toBe(0);
    expect((await runCli(["generate", "--offline"], { cwd: dir })).code).toBe(0);
    // The emulator answers the recorded shapes; the client checks every answer against them.
    const server = await emulator({ results: (await readResults(join(dir, "refold.results.json"))).apps });
    const usage = `import { createRefold, RefoldResultError, type HubspotGetContactResult, type HubspotSearchContactsResult } from "./generated/index.js";
const refold = createRefold({ apiKey: ${JSON.stringify(KEY)}, baseUrl: process.env["URL"]!, linkedAccountId: "a", checkResults: "throw" });
const got: HubspotGetContactResult = await refold.hubspot.getContact();
const keys: string[] = [got["x-request-id"], got.constructor, String(got["🙂"]), String(got["a*/b"][0])];
const proto: HubspotSearchContactsResult = await refold.hubspot.searchContacts({ propertyName: "p", operator: "EQ", value: "v" });
// @ts-expect-error results are closed
void got.notThere;
console.log(JSON.stringify({ keys: Object.keys(got).sort(), values: keys, proto: Object.hasOwn(proto, "__proto__"), error: RefoldResultError.name }));
`;
    await writeFile(join(dir, "usage.ts"), usage);
    await compile(dir, ["usage.ts", "generated/**/*.ts"], "NodeNext", "dist");
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["dist/usage.js"],
        { cwd: dir, env: { ...process.env, URL: server.url } },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    const seen = JSON.parse(out) as { keys: string[]; values: string[]; proto: boolean };
    expect(seen.keys).toEqual(Object.keys(hostile).sort());
    expect(seen.values).toEqual(["string", "string", "true", "1"]);
    expect(seen.proto).toBe(true);
  }, 120_000);
});

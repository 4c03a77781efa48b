// End to end, with only real parts: the emulator on loopback, the CLI binary pulling from it, the real
// TypeScript compiler over the generated client and a usage file, then the compiled client executing
// every action against the emulator.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../generator/model/build.js";
import { readLock } from "../../generator/lock/read.js";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import type { Model } from "../../generator/model/types.js";
import { sampleCatalog, tempProject } from "../helpers/project.js";
import { sampleParams } from "../helpers/sample-values.js";
import { compile } from "../helpers/tsc.js";
import { runCli } from "../cli/cli-helpers.js";

const KEY = "tk_e2e_SECRET_key_0123456789";
const APPS = ["hubspot", "salesforce", "google-sheets", "slack", "jira"];

const USAGE = `
import { createRefold, type HubspotCreateContactParams, type JiraCreateIssueParams, type SlackInviteUsersParams, type GoogleSheetsAddSheetParams } from "../out/index.js";

export const ok: JiraCreateIssueParams = { project_key: "P", summary: "s", issue_type: "Bug", labels: ["backend"], story_points: 3, priority: 3 };
export const nested: GoogleSheetsAddSheetParams = { spreadsheet_id: "s", properties: { title: "t", grid_properties: { row_count: 1 } } };
// @ts-expect-error email is required
export const noEmail: HubspotCreateContactParams = { firstname: "x" };
// @ts-expect-error misspelt field
export const typo: HubspotCreateContactParams = { email: "x", firstnme: "y" };
// @ts-expect-error not an option of issue_type
export const badSelect: JiraCreateIssueParams = { project_key: "P", summary: "s", issue_type: "Nope" };
// @ts-expect-error story_points is a number
export const badNumber: JiraCreateIssueParams = { project_key: "P", summary: "s", issue_type: "Bug", story_points: "3" };
// @ts-expect-error users takes an array of its options
export const notArray: SlackInviteUsersParams = { channel: "c", users: "U1" };
// @ts-expect-error nested objects are closed too
export const nestedTypo: GoogleSheetsAddSheetParams = { spreadsheet_id: "s", properties: { titel: "t" } };

export async function calls(baseUrl: string): Promise<void> {
  const refold = createRefold({ apiKey: "k", baseUrl, linkedAccountId: "a" });
  // @ts-expect-error params are required when a field is
  await refold.hubspot.createContact();
  await refold.jira.getCurrentUser();
  await refold.forAccount("b").googleSheets.listSheets({ spreadsheet_id: "s" }, { timeoutMs: 1000, maxRetries: 0 });
  // @ts-expect-error unknown per-call option
  await refold.jira.getCurrentUser({}, { linkedAcountId: "x" });
}
`;

let server: MockServer;
let dir: string;
let model: Model;
let client: typeof import("../../generated/index.js");

beforeAll(async () => {
  server = await startMock({ apps: (await sampleCatalog()).apps, apiKey: KEY });
  dir = await tempProject({
    baseUrl: server.url,
    linkedAccountId: "schema-reader",
    apps: APPS,
    output: "out",
    lockfile: "refold.lock.json",
    // The same optional files and declared pagination as the repository's config, so the output can be
    // compared with generated/.
    ...pick(JSON.parse(await readFile("refold.codegen.json", "utf8")) as Record<string, unknown>, [
      "emit",
      "pagination",
    ]),
  });
  // The repository's recorded result shapes too (record --from: see test/fixtures/answers).
  await writeFile(join(dir, "refold.results.json"), await readFile("refold.results.json"));
  // runCli also fails the run if the key is printed.
  const result = await runCli(["generate"], { cwd: dir, env: { REFOLD_API_KEY: KEY } });
  expect(result.code, result.stderr).toBe(0);
  const lock = await readLock(join(dir, "refold.lock.json"));
  if (!lock) throw new Error("generate wrote no lock");
  model = buildModel(
    lock,
    APPS.map((slug) => ({ slug, kinds: {} })),
  ).model;
  await mkdir(join(dir, "src"), { recursive: true });
  await writeFile(join(dir, "src", "usage.ts"), USAGE);
  await compile(dir, ["out/**/*.ts", "src/**/*.ts"], "NodeNext", "dist");
  client = (await import(pathToFileURL(join(dir, "dist", "out", "index.js")).href)) as typeof client;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

function pick(config: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}

describe("pull and generate from a Refold-compatible server", () => {
  it("writes the same lock and output as committed for the same answers", async () => {
    expect(await readFile(join(dir, "refold.lock.json"), "utf8")).toBe(await readFile("refold.lock.json", "utf8"));
    // So the committed generated/ is exactly what this test compiles and executes.
    const committed = (await readdir("generated", { recursive: true })).sort();
    expect((await readdir(join(dir, "out"), { recursive: true })).sort()).toEqual(committed);
    for (const file of committed.filter((name) => /\.(ts|json)$/.test(name))) {
      expect(await readFile(join(dir, "out", file), "utf8"), file).toBe(
        await readFile(join("generated", file), "utf8"),
      );
    }
  });

  it("read every action's schema with the key and the configured linked account", () => {
    const schemaReads = server.requests.filter((r) => r.method === "GET" && r.route !== undefined);
    expect(schemaReads.length).toBe(APPS.length + model.apps.reduce((n, app) => n + app.actions.length, 0));
    for (const request of schemaReads) {
      expect(request.headers["x-api-key"]).toBe("[redacted]");
      expect(request.headers["linked_account_id"]).toBe("schema-reader");
    }
  });

  it("the generated client and the @ts-expect-error usage also compile under Bundler resolution", async () => {
    await compile(dir, ["out/**/*.ts", "src/**/*.ts"], "Bundler");
  });

  it("a usage file with a wrong @ts-expect-error fails to compile (the type checks can fail)", async () => {
    await writeFile(
      join(dir, "src", "wrong.ts"),
      `import type { HubspotCreateContactParams } from "../out/index.js";\n// @ts-expect-error\nexport const fine: HubspotCreateContactParams = { email: "x" };\n`,
    );
    await expect(compile(dir, ["out/**/*.ts", "src/wrong.ts"], "NodeNext")).rejects.toThrow(
      /Unused '@ts-expect-error'/,
    );
  });
});

describe("the compiled client against the emulator", () => {
  it("executes every action with the exact path, headers and body, resolving data", async () => {
    const refold = client.createRefold({ apiKey: KEY, baseUrl: server.url, linkedAccountId: "acct-1" });
    for (const app of model.apps) {
      const appClient = (refold as unknown as Record<string, Record<string, (p: unknown) => Promise<unknown>>>)[
        app.property
      ];
      for (const action of app.actions) {
        const params = sampleParams(action.fields, action.id);
        const before = server.requests.length;
        const data = (await appClient?.[action.method]?.(params)) as Record<string, unknown>;
        const request = server.requests[before];
        expect(request?.method).toBe("POST");
        expect(request?.path).toBe(`/api/v2/integration-schema/${app.slug}/actions/${action.id}/execute`);
        expect(request?.headers["linked_account_id"]).toBe("acct-1");
        expect(request?.headers["content-type"]).toMatch(/^application\/json/);
        expect(request?.body).toEqual(params);
        expect(data).toMatchObject({ action: `${app.slug}.${action.id}`, account: "acct-1", echo: params });
      }
    }
  });

  it("binds the linked account with forAccount, and a per-call option wins", async () => {
    const refold = client.createRefold({ apiKey: KEY, baseUrl: server.url });
    const bound = refold.forAccount("acct-bound");
    expect(await bound.jira.getCurrentUser()).toMatchObject({ account: "acct-bound", echo: {} });
    expect(await bound.jira.getCurrentUser({}, { linkedAccountId: "acct-call" })).toMatchObject({
      account: "acct-call",
    });
  });

  it("sends a session token as a bearer token instead of the key", async () => {
    const refold = client.createRefold({ sessionToken: "session-xyz", baseUrl: server.url });
    expect(await refold.slack.listUsers()).toMatchObject({ account: "session" });
    expect(server.requests.at(-1)?.headers["authorization"]).toBe("[redacted]");
    expect(server.requests.at(-1)?.headers["x-api-key"]).toBeUndefined();
  });

  it("rejects a failed action (node_status Errored) with a RefoldActionError holding no secret", async () => {
    server.setFaults([{ route: "execute", app: "jira", action: "get_issue", nodeStatus: "Errored", times: 1 }]);
    const refold = client.createRefold({ apiKey: KEY, baseUrl: server.url, linkedAccountId: "acct-1" });
    const error = await refold.jira.getIssue({ issue_key: "NOPE-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.RefoldActionError);
    expect(error).toBeInstanceOf(client.RefoldError);
    expect(error).toMatchObject({ app: "jira", action: "get_issue", nodeStatus: "Errored" });
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(KEY);
  });

  it("rejects an HTTP error with the matching RefoldError subclass, status and body", async () => {
    const refold = client.createRefold({
      apiKey: KEY,
      baseUrl: server.url,
      linkedAccountId: "acct-1",
      validate: false,
    });
    const error = await refold.hubspot.createContact({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.RefoldValidationError);
    expect(error).toMatchObject({ app: "hubspot", action: "create_contact", status: 400 });
    expect(String((error as Error).message)).toContain("email");
    const wrongKey = client.createRefold({ apiKey: "tk_wrong", baseUrl: server.url, linkedAccountId: "acct-1" });
    await expect(wrongKey.jira.getCurrentUser()).rejects.toBeInstanceOf(client.RefoldAuthenticationError);
  });

  it("validates locally before sending, and refuses writes in read-only mode", async () => {
    const before = server.requests.length;
    const refold = client.createRefold({ apiKey: KEY, baseUrl: server.url, linkedAccountId: "acct-1" });
    await expect(refold.hubspot.createContact({} as never)).rejects.toBeInstanceOf(client.RefoldLocalValidationError);
    const readOnly = client.createRefold({
      apiKey: KEY,
      baseUrl: server.url,
      linkedAccountId: "acct-1",
      readOnly: true,
    });
    await expect(readOnly.hubspot.createContact({ email: "a@b.c" })).rejects.toBeInstanceOf(client.RefoldReadOnlyError);
    expect(await readOnly.hubspot.getContact({ limit: "1" })).toMatchObject({ action: "hubspot.get_contact" });
    expect(server.requests.length).toBe(before + 1);
  });

  it("lists every action of an app with its kind", () => {
    expect(client.hubspotActions.map((a) => a.actionId)).toEqual(
      [...client.hubspotActions.map((a) => a.actionId)].sort(),
    );
    expect(client.hubspotActions.find((a) => a.actionId === "create_contact")).toEqual({
      actionId: "create_contact",
      method: "createContact",
      name: "Create Contact",
      description: "Creating a contact in Hubspot",
      kind: "write",
    });
    expect(client.hubspotActions.find((a) => a.actionId === "get_contact")?.kind).toBe("read");
  });
});

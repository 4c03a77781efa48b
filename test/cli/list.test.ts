// `refold-codegen list`, `--version` and `--help`.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import {
  catalog,
  cleanup,
  configFor,
  emulator,
  KEY,
  parseJson,
  pick,
  project,
  ROOT,
  runCli,
  snapshotTree,
  tempDir,
  writeLockFrom,
} from "./cli-helpers.js";

afterAll(cleanup);

interface Listed {
  app: string;
  source: "lock" | "api";
  actions: { actionId: string; name: string; description: string; kind: string }[];
}

/** The hubspot action ids of the sample catalog, sorted. */
const hubspotIds = async () => (await catalog()).apps["hubspot"]!.actions.map((a) => a.action_id).sort();

describe.concurrent("list", () => {
  it("prints a table of the app's actions from the lock, without the network or a key", async ({ expect }) => {
    const server = await emulator();
    const dir = await project(configFor(server.url, { apps: ["hubspot"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    const before = await snapshotTree(dir);
    const result = await runCli(["list", "hubspot"], { cwd: dir, env: {} });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ACTION ID\s+KIND\s+NAME\s+DESCRIPTION$/);
    const rows = lines.slice(1);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(await hubspotIds());
    expect(rows.find((row) => row.startsWith("create_contact "))).toMatch(/^create_contact\s+write\s+Create Contact/);
    expect(rows.find((row) => row.startsWith("get_contact "))).toMatch(/^get_contact\s+read\s+Get Contact/);
    expect(rows.find((row) => row.startsWith("search_contacts "))).toMatch(/\sread\s/);
    expect(server.requests).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("--json prints { app, source, actions: [{ actionId, name, description, kind }] }; kinds overrides apply", async ({
    expect,
  }) => {
    const server = await emulator();
    const dir = await project(
      configFor(server.url, { apps: [{ slug: "hubspot", kinds: { httprequest: "read", get_contact: "write" } }] }),
    );
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    const result = await runCli(["list", "hubspot", "--json", "--offline"], { cwd: dir, env: {} });
    expect(result.code).toBe(0);
    const doc = parseJson<Listed>(result);
    expect(doc.app).toBe("hubspot");
    expect(doc.source).toBe("lock");
    expect(doc.actions.map((a) => a.actionId)).toEqual(await hubspotIds());
    for (const action of doc.actions) {
      expect(Object.keys(action).sort()).toEqual(["actionId", "description", "kind", "name"]);
      expect(["read", "write"]).toContain(action.kind);
    }
    expect(doc.actions.find((a) => a.actionId === "create_contact")).toEqual({
      actionId: "create_contact",
      name: "Create Contact",
      description: "Creating a contact in Hubspot",
      kind: "write",
    });
    expect(doc.actions.find((a) => a.actionId === "httprequest")?.kind).toBe("read");
    expect(doc.actions.find((a) => a.actionId === "get_contact")?.kind).toBe("write");
    expect(doc.actions.find((a) => a.actionId === "get_contact_by_id")?.kind).toBe("read");
    expect(server.requests).toEqual([]);
  });

  it("asks the API for an app the lock lacks, and for any app with --refresh", async ({ expect }) => {
    const changed = await catalog();
    changed.apps["hubspot"]!.actions.push({ action_id: "find_widget", name: "Find Widget", description: "New" });
    const server = await emulator({ apps: changed.apps });
    const dir = await project(configFor(server.url, { apps: ["hubspot"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    const before = await snapshotTree(dir);

    // From the lock: the new action is not there, and no request is made.
    const locked = parseJson<Listed>(
      await runCli(["list", "hubspot", "--json"], { cwd: dir, env: { REFOLD_API_KEY: KEY } }),
    );
    expect(locked.source).toBe("lock");
    expect(locked.actions.map((a) => a.actionId)).not.toContain("find_widget");
    expect(server.requests).toHaveLength(0);

    // --refresh: one list request, and the API's answer.
    const refreshed = await runCli(["list", "hubspot", "--refresh", "--json"], {
      cwd: dir,
      env: { REFOLD_API_KEY: KEY },
    });
    expect(refreshed.code).toBe(0);
    const fresh = parseJson<Listed>(refreshed);
    expect(fresh.source).toBe("api");
    expect(fresh.actions.find((a) => a.actionId === "find_widget")).toEqual({
      actionId: "find_widget",
      name: "Find Widget",
      description: "New",
      kind: "read",
    });
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /api/v2/integration-schema/hubspot/actions 200",
    ]);

    // An app the lock does not have: asked from the API, as a table.
    const slack = await runCli(["list", "slack"], { cwd: dir, env: { REFOLD_API_KEY: KEY } });
    expect(slack.code).toBe(0);
    expect(slack.stdout).toMatch(/^ACTION ID\s+KIND/);
    for (const action of (await catalog()).apps["slack"]!.actions) expect(slack.stdout).toContain(action.action_id);
    expect(server.requests).toHaveLength(2);

    // `list` never writes the lock.
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe.concurrent("version and help", () => {
  it("--version prints the package's version", async ({ expect }) => {
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runCli(["--version"], { cwd: await tempDir(), env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it("--help lists the commands and the common flags", async ({ expect }) => {
    const result = await runCli(["--help"], { cwd: await tempDir(), env: {} });
    expect(result.code).toBe(0);
    for (const command of ["generate", "pull", "list <app>", "diff", "mock"])
      expect(result.stdout).toContain(`refold-codegen ${command}`);
    for (const flag of ["--config", "--json", "--quiet", "--version", "--help"]) expect(result.stdout).toContain(flag);
  });

  it("generate --help lists --refresh, --offline and --check", async ({ expect }) => {
    const result = await runCli(["generate", "--help"], { cwd: await tempDir(), env: {} });
    expect(result.code).toBe(0);
    for (const flag of ["--refresh", "--offline", "--check"]) expect(result.stdout).toContain(flag);
  });
});

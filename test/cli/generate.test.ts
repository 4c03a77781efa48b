// `refold-codegen generate` end to end: pull, lock, offline, --check, --refresh, order independence, --json, the output guard.
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, describe, it } from "vitest";
import {
  ACCOUNT,
  allText,
  catalog,
  cleanup,
  closedPort,
  configFor,
  emulator,
  KEY,
  mtimes,
  parseJson,
  pick,
  project,
  runCli,
  snapshotTree,
  stop,
  tempDir,
  writeConfig,
  writeLockFrom,
} from "./cli-helpers.js";

afterAll(cleanup);

const withKey = { REFOLD_API_KEY: KEY };

interface LockShape {
  lockfileVersion: number;
  apps: Record<string, { hash: string; actions: { action_id: string }[]; parameters: Record<string, unknown> }>;
}
const readLockFile = async (dir: string): Promise<LockShape> =>
  JSON.parse(await readFile(join(dir, "refold.lock.json"), "utf8")) as LockShape;

describe.concurrent("generate", () => {
  it("pulls once, then works from the lock: no network, same bytes; --offline; --check", async ({ expect }) => {
    const server = await emulator();
    const dir = await project(configFor(server.url));

    // 1. No lock yet: pulls, writes the lock and the output.
    const first = await runCli(["generate"], { cwd: dir, env: withKey });
    expect(first.stderr).not.toMatch(/^refold-codegen:/m);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/added/); // the lock report: both apps are new
    expect(first.stdout).toMatch(/hubspot/);
    expect(first.stdout).toMatch(/jira/);
    const pulled = server.requests.length;
    expect(pulled).toBe(2 + 12 + 3); // two lists, 12 hubspot schemas, the 3 included jira schemas
    const lock = await readLockFile(dir);
    expect(lock.lockfileVersion).toBe(1);
    expect(Object.keys(lock.apps)).toEqual(["hubspot", "jira"]);
    expect(lock.apps["jira"]?.actions.map((a) => a.action_id)).toEqual(["add_comment", "create_issue", "get_issue"]);
    const written = await snapshotTree(dir);
    for (const file of ["generated/index.ts", "generated/hubspot.ts", "generated/jira.ts", "generated/package.json"])
      expect(written).toHaveProperty([file]);
    expect(Object.keys(written).some((path) => path.includes("refold-new") || path.includes("refold-old"))).toBe(false);
    expect(Object.keys(written).some((path) => path.endsWith(".tmp"))).toBe(false);
    // The key is in no file the run wrote, the lock included.
    const text = await allText(dir);
    expect(text).not.toContain(KEY);

    // 2. Again: the lock covers the config, so no request at all, and not one byte (or mtime) changes.
    const times = await mtimes(dir);
    const second = await runCli(["generate"], { cwd: dir, env: withKey });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/is up to date/);
    expect(server.requests.length).toBe(pulled);
    expect(await snapshotTree(dir)).toEqual(written);
    expect(await mtimes(dir), "a no-op generate rewrites no file").toEqual(times);

    // 3. --check on fresh output: 0, and it writes nothing.
    const fresh = await runCli(["generate", "--check"], { cwd: dir, env: {} });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/is up to date/);
    expect(await snapshotTree(dir)).toEqual(written);

    // 4. A generated file edited by hand: exit 1, the file is listed, and --check still writes nothing.
    await appendFile(join(dir, "generated", "hubspot.ts"), "// edited by hand\n");
    const edited = await snapshotTree(dir);
    const stale = await runCli(["generate", "--check"], { cwd: dir, env: {} });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/stale\s+hubspot\.ts/);
    expect(stale.stderr).not.toMatch(/jira\.ts|index\.ts/);
    expect(await snapshotTree(dir)).toEqual(edited);

    // 5. A generated file deleted, a generated file no run produces any more, and a file of the user's: the
    //    first two are listed, the user's file is none of refold-codegen's business; nothing written.
    await rm(join(dir, "generated", "jira.ts"));
    await writeFile(
      join(dir, "generated", "old-app.ts"),
      `${await readFile(join(dir, "generated", "index.ts"), "utf8")}`,
    );
    await writeFile(join(dir, "generated", "notes.txt"), "mine\n");
    const damaged = await snapshotTree(dir);
    const missing = await runCli(["generate", "--check", "--quiet"], { cwd: dir, env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\s+jira\.ts/);
    expect(missing.stderr).toMatch(/extra\s+old-app\.ts/);
    expect(missing.stderr).toMatch(/stale\s+hubspot\.ts/);
    expect(missing.stderr).not.toMatch(/notes\.txt/);
    expect(await snapshotTree(dir)).toEqual(damaged);
    await rm(join(dir, "generated", "notes.txt"));

    // 6. --offline from the lock alone: the emulator is gone, there is no key, and the command runs from another
    //    folder through --config (relative paths resolve against the config's folder).
    await stop(server);
    await rm(join(dir, "generated"), { recursive: true });
    const elsewhere = await tempDir();
    const offline = await runCli(["generate", "--offline", "--config", join(dir, "refold.codegen.json")], {
      cwd: elsewhere,
      env: {},
    });
    expect(offline.code).toBe(0);
    expect(await snapshotTree(dir)).toEqual(written);
    expect(await snapshotTree(elsewhere)).toEqual({});
  });

  it("--refresh prints the changed action ids and updates the lock and the output", async ({ expect }) => {
    const before = await emulator();
    const dir = await project(configFor(before.url, { apps: ["hubspot", "jira"] }));
    const pulled = await runCli(["pull"], { cwd: dir, env: withKey });
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/added/);
    const oldLock = await readLockFile(dir);
    expect(oldLock.apps["hubspot"]?.actions.map((a) => a.action_id)).toContain("create_task");
    await stop(before);

    // The connector changed: one action removed, one added, one parameter made optional.
    const changed = await catalog();
    const hubspot = changed.apps["hubspot"]!;
    hubspot.actions = hubspot.actions.filter((action) => action.action_id !== "create_task");
    delete hubspot.parameters["create_task"];
    hubspot.actions.push({ action_id: "get_widget", name: "Get Widget", description: "Reads a widget" });
    hubspot.parameters["get_widget"] = [{ name: "widget_id", label: "Widget", required: true, type: "text" }];
    const contact = hubspot.parameters["create_contact"] as { name: string; required: boolean }[];
    const email = contact.find((field) => field.name === "email")!;
    expect(email.required).toBe(true);
    email.required = false;
    const after = await emulator({ apps: changed.apps });
    await writeConfig(dir, configFor(after.url, { apps: ["hubspot", "jira"] }));

    const refresh = await runCli(["generate", "--refresh"], { cwd: dir, env: withKey });
    expect(refresh.code).toBe(0);
    // The report of the lock's changes (before "wrote <output>") names each changed action and what happened to it;
    // its exact layout is the CLI's business.
    const report = refresh.stdout.split(/^wrote /m)[0] ?? "";
    const changedIds = ["create_contact", "create_task", "get_widget"];
    const mentions = (line: string, id: string) => new RegExp(`\\b${id}\\b`).test(line);
    /** The line naming `id`, and the lines after it up to the next one naming another changed action. */
    const entry = (id: string): string => {
      const lines = report.split("\n");
      const start = lines.findIndex((line) => mentions(line, id));
      if (start < 0) return "";
      const rest = lines.slice(start + 1);
      const end = rest.findIndex(
        (line) => line.trim() === "" || changedIds.some((other) => other !== id && mentions(line, other)),
      );
      return [lines[start], ...rest.slice(0, end < 0 ? undefined : end)].join("\n");
    };
    expect(report).toMatch(/hubspot/);
    expect(entry("create_contact")).not.toBe("");
    expect(entry("create_task")).toMatch(/remov/i);
    expect(entry("get_widget")).toMatch(/add/i);
    for (const unchanged of ["jira", "update_contact", "get_contact_by_id", "create_deal"])
      expect(report).not.toContain(unchanged);
    expect(after.requests.length).toBe(2 + 12 + 16);

    const newLock = await readLockFile(dir);
    const ids = newLock.apps["hubspot"]!.actions.map((a) => a.action_id);
    expect(ids).toContain("get_widget");
    expect(ids).not.toContain("create_task");
    expect(newLock.apps["hubspot"]!.hash).not.toBe(oldLock.apps["hubspot"]!.hash);
    expect(newLock.apps["jira"]).toEqual(oldLock.apps["jira"]);
    const module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    expect(module).toContain("getWidget");
    expect(module).not.toContain("createTask");
  });

  it("the lock is byte-identical whatever order the API lists actions in", async ({ expect }) => {
    const config = { apps: ["hubspot", "jira", "slack"] };
    const plain = await emulator();
    const dir = await project(configFor(plain.url, config));
    expect((await runCli(["pull", "--quiet"], { cwd: dir, env: withKey })).code).toBe(0);
    const reference = await readFile(join(dir, "refold.lock.json"), "utf8");
    expect(reference.endsWith("}\n")).toBe(true);

    const listOrder = async (url: string) => {
      const response = await request(`${url}/api/v2/integration-schema/hubspot/actions`, {
        headers: { "x-api-key": KEY, linked_account_id: ACCOUNT },
      });
      return ((await response.body.json()) as { action_id: string }[]).map((a) => a.action_id);
    };
    const plainOrder = await listOrder(plain.url);
    for (const seed of [7]) {
      const shuffled = await emulator({ shuffle: true, seed });
      expect(await listOrder(shuffled.url)).not.toEqual(plainOrder); // the test would prove nothing otherwise

      // A first pull in a new project, and a refresh of the existing lock (through REFOLD_BASE_URL).
      const other = await project(configFor(shuffled.url, config));
      expect((await runCli(["pull", "--quiet"], { cwd: other, env: withKey })).code).toBe(0);
      expect(await readFile(join(other, "refold.lock.json"), "utf8")).toBe(reference);
      const refresh = await runCli(["pull"], { cwd: dir, env: { ...withKey, REFOLD_BASE_URL: shuffled.url } });
      expect(refresh.code).toBe(0);
      expect(refresh.stdout).toMatch(/nothing changed/);
      expect(await readFile(join(dir, "refold.lock.json"), "utf8")).toBe(reference);
    }
  });

  it("warns, naming the install, when a production install would leave undici out, and still generates", async ({
    expect,
  }) => {
    const dir = await project(configFor(`http://127.0.0.1:${await closedPort()}`, { apps: ["hubspot"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    for (const [manifest, where] of [
      [{ type: "module", devDependencies: { undici: "^7" } }, /only in devDependencies/],
      [{ type: "module", dependencies: { zod: "^3" } }, /does not list undici/],
    ] as const) {
      await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
      const result = await runCli(["generate", "--offline"], { cwd: dir, env: withKey });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/on Node the generated client sends over undici/);
      expect(result.stderr).toMatch(where);
      expect(result.stderr).toMatch(/npm install undici@\^7/);
    }
    // A Worker project sends over fetch: no warning.
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", devDependencies: { wrangler: "^4" } }));
    const worker = await runCli(["generate", "--offline"], { cwd: dir, env: withKey });
    expect(worker.code).toBe(0);
    expect(worker.stderr).not.toMatch(/undici/);
  });

  it("--json prints one JSON document with files and outputDir; --check --json reports stale files", async ({
    expect,
  }) => {
    const dir = await project(configFor(`http://127.0.0.1:${await closedPort()}`, { apps: ["hubspot", "jira"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
    const result = await runCli(["generate", "--offline", "--json"], { cwd: dir, env: withKey });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(""); // warnings are in the document, not on stderr
    const doc = parseJson<{ ok: boolean; files: string[]; outputDir: string; diagnostics: unknown[] }>(result);
    expect(doc.ok).toBe(true);
    expect(doc.outputDir).toBe(join(dir, "generated"));
    expect(doc.files).toEqual(expect.arrayContaining(["index.ts", "package.json", "hubspot.ts", "jira.ts"]));
    expect(doc.files.some((file) => file.startsWith("runtime/"))).toBe(true);
    const tree = await snapshotTree(dir);
    for (const file of doc.files) expect(tree).toHaveProperty([`generated/${file}`]);

    await appendFile(join(dir, "generated", "jira.ts"), "\n");
    const check = await runCli(["generate", "--check", "--json"], { cwd: dir, env: {} });
    expect(check.code).toBe(1);
    const stale = parseJson<{ ok: boolean; output: { changed: string[]; added: string[]; removed: string[] } }>(check);
    expect(stale.ok).toBe(false);
    expect(stale.output).toEqual({ changed: ["jira.ts"], added: [], removed: [] });
  });

  it("leaves the user's own files in the output folder alone, and refuses to replace one (exit 2, names it, touches nothing)", async ({
    expect,
  }) => {
    // From a lock: nothing to pull.
    const dir = await project(configFor("http://127.0.0.1:9", { apps: ["jira"] }));
    await writeLockFrom(dir, pick(await catalog(), "jira"));
    await mkdir(join(dir, "generated", "docs"), { recursive: true });
    await writeFile(join(dir, "generated", "docs", "notes.md"), "# my notes\n");
    const beside = await runCli(["generate", "--offline"], { cwd: dir, env: {} });
    expect(beside.code, beside.stderr).toBe(0);
    expect(await readFile(join(dir, "generated", "docs", "notes.md"), "utf8")).toBe("# my notes\n");

    await writeFile(join(dir, "generated", "jira.ts"), "export const mine = 1;\n");
    const before = await snapshotTree(dir);
    const result = await runCli(["generate", "--offline"], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("jira.ts");
    expect(result.stderr).toMatch(/did not write/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("refuses to replace a file it did not write after a pull too, and then does not write the lock", async ({
    expect,
  }) => {
    const server = await emulator();
    const dir = await project(configFor(server.url, { apps: ["jira"] }));
    await mkdir(join(dir, "generated"));
    await writeFile(join(dir, "generated", "index.ts"), "export const mine = 1;\n");
    const before = await snapshotTree(dir);
    const result = await runCli(["generate"], { cwd: dir, env: withKey });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("index.ts");
    expect(server.requests.length).toBeGreaterThan(0); // it did pull
    expect(await snapshotTree(dir)).toEqual(before); // no lock, no output change
  });
});

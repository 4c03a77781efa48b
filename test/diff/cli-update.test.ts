// A connector update between two pulls, through the built CLI (run `npm run build` first) and the
// emulator restarted with a changed catalog: `diff` against the live API, `generate --refresh` and `pull`
// with `--changelog`, and method and type names of untouched actions surviving the update unchanged.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffJson, diffLocks, formatChangelog } from "../../generator/diff/index.js";
import { readLock } from "../../generator/lock/read.js";
import { serializeLock } from "../../generator/lock/write.js";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { lockFromCatalog, tempProject, type Catalog } from "../helpers/project.js";
import { APPS, catalogBefore, cli, exportsOf, KEY, methods, SLUGS, update } from "./support.js";

describe("a connector update between two pulls, through the emulator", () => {
  let dir: string;
  let server: MockServer | undefined;
  let before: Catalog;
  let after: Catalog;
  let env: Record<string, string>;
  const lockPath = () => join(dir, "refold.lock.json");

  beforeAll(async () => {
    before = await catalogBefore();
    after = update(before);
    server = await startMock({ apps: before.apps, apiKey: KEY });
    dir = await tempProject({
      baseUrl: "http://placeholder.invalid",
      linkedAccountId: "schema-reader",
      apps: SLUGS,
      output: "out",
      lockfile: "refold.lock.json",
      rateLimit: false,
    });
    env = { REFOLD_API_KEY: KEY, REFOLD_BASE_URL: server.url };
    const generated = await cli(dir, ["generate"], env);
    expect(generated.code, generated.stderr).toBe(0);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("diff against the unchanged API finds nothing and writes nothing", async () => {
    const lock = await readFile(lockPath(), "utf8");
    const result = await cli(dir, ["diff", "--fail-on", "any"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`lock ${lockPath()} -> the API:\nno changes\n`);
    expect(await readFile(lockPath(), "utf8")).toBe(lock);
  });

  it("after the update, diff --json is complete and correct, and --fail-on fails", async () => {
    await server?.close();
    server = await startMock({ apps: after.apps, apiKey: KEY });
    env = { ...env, REFOLD_BASE_URL: server.url };
    const lock = await readFile(lockPath(), "utf8");
    const result = await cli(dir, ["diff", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    const document = JSON.parse(result.stdout) as ReturnType<typeof diffJson>;
    const expected = diffJson(diffLocks(lockFromCatalog(before), lockFromCatalog(after), APPS));
    expect(document).toEqual(JSON.parse(JSON.stringify(expected)));
    const summary = document.changes.map((c) => [c.app, c.action, c.field, c.kind, c.breaking, c.option]);
    expect(summary).toEqual([
      ["hubspot", "create_contact", "lifecycle_stage", "field-added", true, undefined],
      ["hubspot", "create_contact", "website", "field-removed", true, undefined],
      ["hubspot", "create_task", undefined, "action-removed", true, undefined],
      ["hubspot", "create_task_v2", undefined, "action-added", false, undefined],
      ["hubspot", "delete_contact", undefined, "action-removed", true, undefined],
      ["hubspot", "get-contact", undefined, "action-added", false, undefined],
      ["hubspot", "getContact", undefined, "action-added", false, undefined],
      ["jira", "archive_issue", undefined, "action-added", false, undefined],
      ["jira", "create_issue", "description", "field-required", true, undefined],
      ["jira", "create_issue", "issue_type", "option-added", false, "Spike"],
      ["jira", "create_issue", "issue_type", "option-removed", true, "Epic"],
      ["jira", "create_issue", "story_points", "type-widened", false, undefined],
      ["jira", "create_issue", "summary", "doc-changed", false, undefined],
    ]);
    expect(document.breaking).toBe(6);
    const failing = await Promise.all([
      cli(dir, ["diff", "--fail-on", "breaking"], env),
      cli(dir, ["diff", "--fail-on", "any", "--quiet"], env),
    ]);
    expect(failing.map((outcome) => outcome.code)).toEqual([1, 1]);
    expect(await readFile(lockPath(), "utf8")).toBe(lock);
  });

  it("an included action the API no longer lists is reported as removed, not as a failed pull", async () => {
    await writeFile(
      join(dir, "narrow.json"),
      JSON.stringify({
        linkedAccountId: "schema-reader",
        apps: [{ slug: "hubspot", include: ["delete_contact", "get_contact"] }],
        lockfile: "refold.lock.json",
        rateLimit: false,
      }),
    );
    const result = await cli(dir, ["diff", "--config", "narrow.json", "--json", "--fail-on", "breaking"], env);
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      changes: [
        {
          app: "hubspot",
          action: "delete_contact",
          kind: "action-removed",
          breaking: true,
          message: 'action "delete_contact" removed',
        },
      ],
      breaking: 1,
    });
  });

  it("an API error exits 3 and writes nothing", async () => {
    const result = await cli(dir, ["diff"], { ...env, REFOLD_API_KEY: "tk_wrong" });
    expect(result.code).toBe(3);
  });

  it("generate --refresh prints the classified changes, appends the changelog, and keeps untouched names", async () => {
    const oldMethods = await methods(join(dir, "out", "hubspot.ts"));
    const oldJira = await methods(join(dir, "out", "jira.ts"));
    const oldExports = new Set([
      ...(await exportsOf(join(dir, "out", "hubspot.ts"))),
      ...(await exportsOf(join(dir, "out", "jira.ts"))),
    ]);
    const expected = diffLocks(lockFromCatalog(before), lockFromCatalog(after), APPS);

    const result = await cli(dir, ["generate", "--refresh", "--changelog", "CHANGES.md"], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`lock ${lockPath()}:`);
    expect(lines).toContain("  hubspot");
    expect(lines.some((line) => /^ {6}BREAKING {2}action-removed +action "delete_contact" removed$/.test(line))).toBe(
      true,
    );
    expect(lines).toContain("  13 changes in 2 apps: 6 breaking, 7 not breaking");
    expect(lines).toContain(`changes appended to ${join(dir, "CHANGES.md")}`);
    const changelog = await readFile(join(dir, "CHANGES.md"), "utf8");
    expect(changelog).toBe(formatChangelog(expected, "refold.lock.json update"));
    expect(await readFile(lockPath(), "utf8")).toBe(serializeLock(lockFromCatalog(after)));

    // Stable names: every action in both versions keeps its method; the colliding newcomers get suffixes.
    const newMethods = await methods(join(dir, "out", "hubspot.ts"));
    const newJira = await methods(join(dir, "out", "jira.ts"));
    for (const [id, method] of [...oldMethods, ...oldJira]) {
      const now = newMethods.get(id) ?? newJira.get(id);
      if (id === "delete_contact" || id === "create_task") expect(now, id).toBeUndefined();
      else expect(now, id).toBe(method);
    }
    expect(newMethods.get("get_contact")).toBe("getContact");
    expect(newMethods.get("get-contact")).toMatch(/^getContact_[0-9a-f]{6}$/);
    expect(newMethods.get("getContact")).toMatch(/^getContact_[0-9a-f]{6}$/);
    expect(newMethods.get("create_task_v2")).toBe("createTaskV2");
    const newExports = new Set([
      ...(await exportsOf(join(dir, "out", "hubspot.ts"))),
      ...(await exportsOf(join(dir, "out", "jira.ts"))),
    ]);
    const gone = new Set(["HubspotDeleteContactParams", "HubspotCreateTaskParams"]);
    expect([...oldExports].filter((name) => !gone.has(name) && !newExports.has(name))).toEqual([]);
    expect(newExports.has("HubspotGetContactParams")).toBe(true);

    // Nothing changed since: the changelog is left alone.
    const again = await cli(dir, ["generate", "--refresh", "--changelog", "CHANGES.md"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("the API answers the same as the lock: nothing changed");
    expect(again.stdout).not.toContain("changes appended");
    expect(await readFile(join(dir, "CHANGES.md"), "utf8")).toBe(changelog);
  });

  it("pull --changelog appends only when the run succeeds", async () => {
    const changelog = await readFile(join(dir, "CHANGES.md"), "utf8");
    const previous = serializeLock(lockFromCatalog(before));
    await writeFile(lockPath(), previous);
    server!.setFaults([{ route: "schema", app: "jira", action: "get_issue", status: 404 }]);
    const failed = await cli(dir, ["pull", "--changelog", "CHANGES.md"], env);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("get_issue");
    expect(await readFile(join(dir, "CHANGES.md"), "utf8")).toBe(changelog);
    expect(await readFile(lockPath(), "utf8")).toBe(previous);

    server!.setFaults([]);
    const pulled = await cli(dir, ["pull", "--changelog", "CHANGES.md", "--json"], env);
    expect(pulled.code, pulled.stderr).toBe(0);
    const result = JSON.parse(pulled.stdout) as { diff: { breaking: number }; changelogPath: string };
    expect(result.diff.breaking).toBe(6);
    expect(result.changelogPath).toBe(join(dir, "CHANGES.md"));
    const section = formatChangelog(
      diffLocks(lockFromCatalog(before), lockFromCatalog(after), APPS),
      "refold.lock.json update",
    );
    expect(await readFile(join(dir, "CHANGES.md"), "utf8")).toBe(`${changelog}\n${section}`);
    expect(await readLock(lockPath())).toEqual(lockFromCatalog(after));
  });

  it("--changelog is refused with --check and --offline", async () => {
    const refused = await Promise.all([
      cli(dir, ["generate", "--check", "--changelog", "CHANGES.md"], env),
      cli(dir, ["generate", "--offline", "--changelog", "CHANGES.md"], env),
    ]);
    expect(refused.map((outcome) => outcome.code)).toEqual([2, 2]);
  });
});

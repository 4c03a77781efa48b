// `refold-codegen diff --against` through the built CLI (run `npm run build` first): two lock files,
// the human table, the exact --json document, --fail-on exit codes and usage errors.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffJson, diffLocks } from "../../generator/diff/index.js";
import { CodegenError, diff } from "../../generator/index.js";
import { serializeLock } from "../../generator/lock/write.js";
import { lockFromCatalog, tempProject, type Catalog } from "../helpers/project.js";
import { additive, APPS, catalogBefore, cli, SLUGS, update } from "./support.js";

describe("diff --against another lock file", () => {
  let dir: string;
  let before: Catalog;

  beforeAll(async () => {
    before = await catalogBefore();
    dir = await tempProject({ apps: SLUGS, lockfile: "a.lock.json", output: "out" });
    await writeFile(join(dir, "a.lock.json"), serializeLock(lockFromCatalog(before)));
    await writeFile(join(dir, "b.lock.json"), serializeLock(lockFromCatalog(update(before))));
    await writeFile(join(dir, "c.lock.json"), serializeLock(lockFromCatalog(additive(before))));
    await writeFile(join(dir, "same.lock.json"), serializeLock(lockFromCatalog(before)));
    await writeFile(join(dir, "broken.lock.json"), "{ not json");
  });

  it("prints a table grouped by app and action, BREAKING marked, with a summary; exit 0 without --fail-on", async () => {
    const result = await cli(dir, ["diff", "--against", "b.lock.json"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`lock ${join(dir, "a.lock.json")} -> ${join(dir, "b.lock.json")}:`);
    expect(lines).toContain("hubspot");
    expect(lines).toContain("  delete_contact");
    expect(lines.some((line) => /^ {4}BREAKING {2}action-removed +action "delete_contact" removed$/.test(line))).toBe(
      true,
    );
    expect(lines.some((line) => /^ {14}option-added +field "issue_type" option "Spike" added$/.test(line))).toBe(true);
    expect(result.stdout).toMatch(/\n\d+ changes in 2 apps: \d+ breaking, \d+ not breaking\n$/);
  });

  it("--json prints exactly { changes, breaking }, as diffLocks classifies them", async () => {
    const result = await cli(dir, ["diff", "--against", "b.lock.json", "--json"]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(["changes", "breaking"]);
    const expected = diffJson(diffLocks(lockFromCatalog(before), lockFromCatalog(update(before)), APPS));
    expect(document).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.breaking).toBeGreaterThan(0);
  });

  it("--fail-on breaking|any sets the exit code", async () => {
    const code = async (against: string, failOn?: string) =>
      (await cli(dir, ["diff", "--against", against, ...(failOn ? ["--fail-on", failOn] : []), "--json"])).code;
    const cases: [string, string, number][] = [
      ["b.lock.json", "breaking", 1],
      ["b.lock.json", "any", 1],
      ["c.lock.json", "breaking", 0],
      ["c.lock.json", "any", 1],
      ["same.lock.json", "any", 0],
    ];
    const codes = await Promise.all(cases.map(([against, failOn]) => code(against, failOn)));
    expect(codes).toEqual(cases.map(([, , expected]) => expected));
  });

  it("says so when nothing changed; --quiet prints only a failed --fail-on", async () => {
    expect((await cli(dir, ["diff", "--against", "same.lock.json"])).stdout).toMatch(/\nno changes\n$/);
    const quiet = await cli(dir, ["diff", "--against", "b.lock.json", "--quiet", "--fail-on", "breaking"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe("");
    expect(quiet.stderr).toMatch(/^refold-codegen: \d+ changes in 2 apps: \d+ breaking, .* \(--fail-on breaking\)\n$/);
  });

  it("usage errors exit 2: a bad --fail-on, a missing or broken --against file, no credentials for the API", async () => {
    const [badFlag, missing, broken, live, noConfig] = await Promise.all([
      cli(dir, ["diff", "--fail-on", "sometimes"]),
      cli(dir, ["diff", "--against", "nope.json"]),
      cli(dir, ["diff", "--against", "broken.lock.json"]),
      cli(dir, ["diff", "--json"]),
      cli(dir, ["diff", "--against", "b.lock.json", "--config", "missing.json"]),
    ]);
    expect([badFlag, missing, broken, live, noConfig].map((outcome) => outcome.code)).toEqual([2, 2, 2, 2, 2]);
    expect(missing.stderr).toContain("nope.json");
    expect(broken.stderr).toContain("broken.lock.json");
    expect(JSON.parse(live.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expect(live.stdout).toContain("REFOLD_API_KEY");
  });

  it("the programmatic diff() gives the same result, with where it compared", async () => {
    const report = await diff({ cwd: dir, against: "b.lock.json", env: {} });
    const expected = diffLocks(lockFromCatalog(before), lockFromCatalog(update(before)), APPS);
    expect(report).toEqual({
      ...expected,
      lockfilePath: join(dir, "a.lock.json"),
      source: "lock",
      againstPath: join(dir, "b.lock.json"),
      diagnostics: [],
    });
    const live = diff({ cwd: dir, env: {} });
    await expect(live).rejects.toBeInstanceOf(CodegenError);
    await expect(live).rejects.toMatchObject({ exitCode: 2 });
  });
});

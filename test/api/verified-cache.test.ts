import { statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { VerifiedOutput } from "../../generator/cache/verified.js";
import { generate } from "../../generator/index.js";
import { loadProjectConfig } from "../../generator/options.js";
import { serializeLock } from "../../generator/lock/write.js";
import { lockFromCatalog, sampleCatalog, tempProject } from "../helpers/project.js";

/*
 * The no-op run that trusts file metadata (generator/cache/verified.ts): it must stop early only when no
 * write can have happened since a run read and verified the files, and never hide an edit.
 */

const METADATA = "unchanged (metadata)";

async function project(): Promise<{ dir: string; env: { REFOLD_CODEGEN_CACHE_DIR: string } }> {
  const dir = await tempProject({ apps: ["hubspot", "jira"], linkedAccountId: "a" });
  const catalog = await sampleCatalog();
  const apps = { hubspot: catalog.apps["hubspot"]!, jira: catalog.apps["jira"]! };
  await writeFile(join(dir, "refold.lock.json"), serializeLock(lockFromCatalog({ apps })));
  const cache = await mkdtemp(join(tmpdir(), "refold-cache-"));
  return { dir, env: { REFOLD_CODEGEN_CACHE_DIR: cache } };
}

/** Lets the file system's clock move past the last write, so a following fence is younger than it. */
const settle = () => sleep(30);

const stages = (result: { timings: { stage: string }[] }) => result.timings.map((t) => t.stage);

/** A whole second: `utimes` sets it exactly, where a fraction would be rounded. */
const PINNED = 1_600_000_000;

/**
 * Three runs: the cold one writes, the next verifies by content and records, the third trusts the record.
 * The lock's and the output's times are pinned first, so that an edit can put them back exactly.
 */
async function recorded(): Promise<{ dir: string; env: { REFOLD_CODEGEN_CACHE_DIR: string } }> {
  const { dir, env } = await project();
  const { files } = await generate({ cwd: dir, env, offline: true });
  for (const path of [join(dir, "refold.lock.json"), ...files.map((file) => join(dir, "generated", file))])
    await utimes(path, PINNED, PINNED);
  await settle();
  expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual(["unchanged"]);
  expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual([METADATA]);
  return { dir, env };
}

/** Rewrites a pinned file with content of the same size, then puts its pinned times back: only its ctime tells. */
async function sneakyEdit(path: string, edit: (text: string) => string): Promise<void> {
  const before = statSync(path, { bigint: true });
  const text = await readFile(path, "utf8");
  const edited = edit(text);
  expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
  expect(edited).not.toBe(text);
  await writeFile(path, edited);
  await utimes(path, PINNED, PINNED);
  const after = statSync(path, { bigint: true });
  expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
  expect(after.ctimeNs).not.toBe(before.ctimeNs);
}

describe("generate: the no-op run proved by file metadata", () => {
  it("stops early, without reading, once a run has verified the output; the result is the same", async () => {
    const { dir, env } = await project();
    const cold = await generate({ cwd: dir, env, offline: true });
    await settle();
    const verified = await generate({ cwd: dir, env, offline: true });
    const trusted = await generate({ cwd: dir, env, offline: true });
    expect(stages(trusted)).toEqual([METADATA]);
    expect({ ...trusted, timings: [] }).toEqual({ ...verified, timings: [] });
    expect(trusted.files.sort()).toEqual(cold.files.sort());
  });

  it("repairs a generated file edited to the same size with its times put back (the ctime tells)", async () => {
    const { dir, env } = await recorded();
    const path = join(dir, "generated", "hubspot.ts");
    const original = await readFile(path, "utf8");
    await sneakyEdit(path, (text) => text.replace("export", "EXPORT"));
    const repaired = await generate({ cwd: dir, env, offline: true });
    expect(repaired.output.changed).toEqual(["hubspot.ts"]);
    expect(await readFile(path, "utf8")).toBe(original);
  });

  it("regenerates after the lock changed to the same size with its times put back", async () => {
    const { dir, env } = await recorded();
    await sneakyEdit(join(dir, "refold.lock.json"), (text) => text.replace('"Create', '"CREATE'));
    const result = await generate({ cwd: dir, env, offline: true });
    expect(stages(result)).not.toContain(METADATA);
    expect(result.output.changed).toContain("hubspot.ts");
  });

  it("does not trust the record when a file was removed, or one was added", async () => {
    const { dir, env } = await recorded();
    const path = join(dir, "generated", "jira.ts");
    const original = await readFile(path, "utf8");
    await rm(path);
    expect((await generate({ cwd: dir, env, offline: true })).output.added).toEqual(["jira.ts"]);
    expect(await readFile(path, "utf8")).toBe(original);

    await settle();
    await generate({ cwd: dir, env, offline: true }); // verifies and records again
    expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual([METADATA]);
    await writeFile(join(dir, "generated", "stray.ts"), "// Generated by refold-codegen\n");
    const cleaned = await generate({ cwd: dir, env, offline: true });
    expect(cleaned.output.removed).toEqual(["stray.ts"]);
  });

  it("is not used by --check, which always compares contents", async () => {
    const { dir, env } = await recorded();
    // A record that vouches for an edited file: plain generate trusts it, --check must not.
    const path = join(dir, "generated", "hubspot.ts");
    const before = statSync(path, { bigint: true });
    await writeFile(path, (await readFile(path, "utf8")).replace("export", "EXPORT"));
    const after = statSync(path, { bigint: true });
    const [record] = await readdir(join(env.REFOLD_CODEGEN_CACHE_DIR, "verified"));
    const recordPath = join(env.REFOLD_CODEGEN_CACHE_DIR, "verified", record!);
    const stateOf = (s: typeof before) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    await writeFile(recordPath, (await readFile(recordPath, "utf8")).replace(stateOf(before), stateOf(after)));
    expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual([METADATA]);
    const checked = await generate({ cwd: dir, env, offline: true, check: true });
    expect(checked.output.changed).toEqual(["hubspot.ts"]);
  });

  it("is off with REFOLD_CODEGEN_CACHE_DIR=off, and a damaged or unwritable cache never fails a run", async () => {
    const { dir, env } = await project();
    const off = { REFOLD_CODEGEN_CACHE_DIR: "off" };
    await generate({ cwd: dir, env: off, offline: true });
    await settle();
    for (let run = 0; run < 3; run++)
      expect(stages(await generate({ cwd: dir, env: off, offline: true }))).toEqual(["unchanged"]);

    await generate({ cwd: dir, env, offline: true });
    expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual([METADATA]);
    const folder = join(env.REFOLD_CODEGEN_CACHE_DIR, "verified");
    for (const name of await readdir(folder)) await writeFile(join(folder, name), "{ not json");
    expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual(["unchanged"]);

    // The cache folder is a file: nothing can be recorded, and the runs still succeed.
    const blocked = { REFOLD_CODEGEN_CACHE_DIR: join(dir, "refold.lock.json") };
    for (let run = 0; run < 2; run++)
      expect(stages(await generate({ cwd: dir, env: blocked, offline: true }))).toEqual(["unchanged"]);
  });

  it("does not trust a record that names a file twice: every file on disk must be vouched for", async () => {
    const { dir, env } = await recorded();
    const [name] = await readdir(join(env.REFOLD_CODEGEN_CACHE_DIR, "verified"));
    const recordPath = join(env.REFOLD_CODEGEN_CACHE_DIR, "verified", name!);
    // A damaged record: as many entries as files, but jira.ts's twice and none for hubspot.ts.
    const record = JSON.parse(await readFile(recordPath, "utf8")) as { output: [string, string][] };
    const jira = record.output.find(([path]) => path === "jira.ts")!;
    record.output = record.output.map((entry) => (entry[0] === "hubspot.ts" ? jira : entry));
    await writeFile(recordPath, JSON.stringify(record));
    await writeFile(join(dir, "generated", "hubspot.ts"), "// Generated by refold-codegen\n");
    const repaired = await generate({ cwd: dir, env, offline: true });
    expect(repaired.output.changed).toEqual(["hubspot.ts"]);
  });

  it("keeps out of an output folder that would hold the cache: its files there would make the output foreign", async () => {
    const { dir } = await project();
    for (const folder of ["generated", "generated/.cache", "generated/.cache/verified"]) {
      const env = { REFOLD_CODEGEN_CACHE_DIR: join(dir, folder) };
      for (let run = 0; run < 3; run++) {
        await generate({ cwd: dir, env, offline: true });
        await settle();
      }
      expect(stages(await generate({ cwd: dir, env, offline: true }))).toEqual(["unchanged"]);
      expect((await generate({ cwd: dir, env, offline: true, check: true })).output.removed).toEqual([]);
    }
  });
});

describe("VerifiedOutput.remember", () => {
  it("records only files older than the fence, on the fence's file system", async () => {
    const { dir, env } = await project();
    await generate({ cwd: dir, env, offline: true });
    const config = await loadProjectConfig({ cwd: dir, env });
    const cache = VerifiedOutput.of(config, env)!;
    const inputs = "inputs-key";
    const seen = cache.observe();
    const files = [...seen.output!.keys()];
    const newest = [seen.lock!, ...seen.output!.values()].reduce((a, b) => (a.ctimeNs > b.ctimeNs ? a : b));

    // A fence no younger than a file's ctime: that file may have been written after it was read.
    cache.remember(inputs, { ...seen, fence: { dev: newest.dev, ctimeNs: newest.ctimeNs } }, files);
    expect(cache.unchangedFiles(inputs)).toBeUndefined();
    // A fence on another file system: its clock says nothing of these files.
    cache.remember(inputs, { ...seen, fence: { dev: newest.dev + 1n, ctimeNs: newest.ctimeNs + 1n } }, files);
    expect(cache.unchangedFiles(inputs)).toBeUndefined();
    // A fence younger than every file: recorded, and the same metadata is then proof.
    cache.remember(inputs, { ...seen, fence: { dev: newest.dev, ctimeNs: newest.ctimeNs + 1n } }, files);
    expect(cache.unchangedFiles(inputs)?.sort()).toEqual(files.sort());
    expect(cache.unchangedFiles("other-inputs")).toBeUndefined();
    // A verified list that differs from what was observed is not recorded.
    cache.remember("second", seen, files.slice(1));
    expect(cache.unchangedFiles("second")).toBeUndefined();
  });
});

// What teams live with: output that merges, refreshes that touch one app's file, runs that can overlap, a
// --check that writes nothing, and prettier only when asked for.
import { execFileSync, spawn } from "node:child_process";
import { readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../generator/lock/types.js";
import {
  CLI,
  catalog,
  cleanup,
  cliEnv,
  configFor,
  mtimes,
  pick,
  project,
  runCli,
  snapshotTree,
  tempDir,
  writeLockFrom,
} from "./cli-helpers.js";

afterAll(cleanup);

const OFFLINE = ["generate", "--offline"];

/** A project generated offline from a lock of hubspot and jira. */
async function generatedProject(extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await project(configFor("http://127.0.0.1:9", { apps: ["hubspot", "jira"], ...extra }));
  await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
  const first = await runCli(OFFLINE, { cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  return dir;
}

/** Changes one app's lock entry as a connector update would: an action's description and a label. */
async function updateApp(dir: string, slug: string, words: string): Promise<void> {
  const path = join(dir, "refold.lock.json");
  const lock = JSON.parse(await readFile(path, "utf8")) as LockFile;
  const app = lock.apps[slug]!;
  const [first] = app.actions;
  first!.description = `${String(first!.description ?? "")} ${words}`;
  const parameters = app.parameters[first!.action_id] as { label?: string }[];
  parameters[0]!.label = `${parameters[0]!.label ?? ""} (${words})`;
  await writeFile(path, `${JSON.stringify(lock, null, 2)}\n`);
}

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], {
    cwd: dir,
    encoding: "utf8",
  });

describe("the plain pipeline", () => {
  it("a one-app update rewrites that app's module only: every other file keeps its mtime", async () => {
    const dir = await generatedProject();
    const before = await mtimes(join(dir, "generated"));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await updateApp(dir, "jira", "now with more fields");
    const result = await runCli([...OFFLINE, "--json"], { cwd: dir });
    expect(JSON.parse(result.stdout)).toMatchObject({ output: { changed: ["jira.ts"], added: [], removed: [] } });
    const after = await mtimes(join(dir, "generated"));
    for (const path of Object.keys(before)) {
      if (path === "jira.ts") expect(after[path], path).not.toBe(before[path]);
      else expect(after[path], path).toBe(before[path]);
    }
  });

  it("two branches that update different apps merge without conflict, and the merged tree passes --check", async () => {
    const dir = await generatedProject();
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "base");
    git(dir, "checkout", "-q", "-b", "hubspot-update");
    await updateApp(dir, "hubspot", "hubspot changed");
    expect((await runCli(OFFLINE, { cwd: dir })).code).toBe(0);
    git(dir, "commit", "-q", "-am", "hubspot update");
    git(dir, "checkout", "-q", "main");
    git(dir, "checkout", "-q", "-b", "jira-update");
    await updateApp(dir, "jira", "jira changed");
    expect((await runCli(OFFLINE, { cwd: dir })).code).toBe(0);
    git(dir, "commit", "-q", "-am", "jira update");
    // Each branch changed its app's module and lock entry, nothing else.
    expect(git(dir, "diff", "--name-only", "main", "hubspot-update").trim().split("\n")).toEqual([
      "generated/hubspot.ts",
      "refold.lock.json",
    ]);
    git(dir, "checkout", "-q", "main");
    git(dir, "merge", "-q", "--no-edit", "hubspot-update");
    git(dir, "merge", "-q", "--no-edit", "jira-update"); // throws on a conflict
    const check = await runCli(["generate", "--check"], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    expect(await readFile(join(dir, "generated", "hubspot.ts"), "utf8")).toContain("hubspot changed");
    expect(await readFile(join(dir, "generated", "jira.ts"), "utf8")).toContain("jira changed");
  });

  it("--check writes nothing anywhere: the project's listing, sizes and times stay identical, stale or not", async () => {
    // The project in a folder of its own: the shared temporary folder changes as other test files run.
    const parent = await tempDir();
    const dir = join(parent, "project");
    await rename(await generatedProject(), dir);
    const listing = async () => {
      const names = (await readdir(parent)).sort();
      return { names, project: await snapshotTree(dir), times: await mtimes(dir) };
    };
    const before = await listing();
    expect((await runCli(["generate", "--check"], { cwd: dir })).code).toBe(0);
    expect(await listing()).toEqual(before);
    await updateApp(dir, "hubspot", "stale now");
    const stale = await listing();
    const result = await runCli(["generate", "--check"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stale\s+hubspot\.ts/);
    expect(await listing()).toEqual(stale);
  });

  it("four runs at once over a changed lock all succeed and leave the output a fresh run writes", async () => {
    const dir = await generatedProject();
    await updateApp(dir, "hubspot", "concurrent");
    await updateApp(dir, "jira", "concurrent");
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [CLI, ...OFFLINE], { cwd: dir, env: cliEnv() });
            let stderr = "";
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
            child.on("close", (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const check = await runCli(["generate", "--check"], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    expect((await readdir(join(dir, "generated"))).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe('config "format": "prettier"', () => {
  it("formats the output with the project's prettier and its config, and --check agrees", async () => {
    // The project's node_modules is this repository's, which has prettier; its config drops semicolons.
    const dir = await generatedProject({ format: "prettier" });
    await writeFile(join(dir, ".prettierrc.json"), JSON.stringify({ semi: false, singleQuote: true }));
    const result = await runCli(OFFLINE, { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const hubspot = await readFile(join(dir, "generated", "hubspot.ts"), "utf8");
    expect(hubspot).toContain("from './runtime/types.js'");
    expect(hubspot).not.toMatch(/;\n/);
    expect((await runCli(["generate", "--check"], { cwd: dir })).code).toBe(0);
    // Back to the default: our own layout again.
    await writeFile(
      join(dir, "refold.codegen.json"),
      JSON.stringify(configFor("http://127.0.0.1:9", { apps: ["hubspot", "jira"] })),
    );
    expect((await runCli(["generate", "--check"], { cwd: dir })).code).toBe(1);
  });

  it("names the fix when the project has no prettier (exit 2, nothing written)", async () => {
    const dir = await generatedProject();
    const config = configFor("http://127.0.0.1:9", { apps: ["hubspot", "jira"], format: "prettier" });
    await writeFile(join(dir, "refold.codegen.json"), JSON.stringify(config));
    // A project of its own, without this repository's node_modules.
    const { rm } = await import("node:fs/promises");
    await rm(join(dir, "node_modules"));
    const before = await snapshotTree(dir);
    const result = await runCli(OFFLINE, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs prettier[\s\S]*npm install --save-dev prettier/);
    expect(await snapshotTree(dir)).toEqual(before);
    expect((await stat(join(dir, "generated", "index.ts"))).isFile()).toBe(true);
  });
});

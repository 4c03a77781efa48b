// The bin's fast path (`generate` without yargs) against the yargs path, end to end: for the same situation
// both print the same, exit the same and leave the same files; and the fast path really skips yargs.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, it, type ExpectStatic } from "vitest";
import { parseGenerateArgs } from "../../generator/cli/fast-generate.js";
import {
  catalog,
  cleanup,
  configFor,
  emulator,
  KEY,
  pick,
  project,
  runCli,
  runCliTracingModules,
  snapshotTree,
  tempDir,
  writeLockFrom,
  type CliResult,
} from "./cli-helpers.js";

afterAll(cleanup);

const env = { REFOLD_API_KEY: KEY };
/** The base URL of projects that must not reach the network; the same in every project, so their files compare. */
const NOWHERE = "http://127.0.0.1:9";

/** The files that differ between two project folders (their trees must otherwise be identical). */
async function differingFiles(a: string, b: string): Promise<string[]> {
  const [left, right] = [await snapshotTree(a), await snapshotTree(b)];
  return [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((path) => left[path] !== right[path]);
}

/**
 * The same command line made to go through yargs: a global flag it lacks, given as `--flag=false` (its
 * default), which yargs reads as the flag's absence and the pre-parser declines. (`--no-watch` would not
 * do: yargs counts a false --watch as given, so it conflicts with --check.)
 */
function viaYargs(args: readonly string[]): string[] {
  const absent = ["verbose", "quiet", "json"].find((name) => !args.includes(`--${name}`));
  if (absent === undefined) throw new Error(`no global flag left to add to ${args.join(" ")}`);
  return [...args, `--${absent}=false`];
}

const loadsYargs = (modules: readonly string[]) => modules.some((url) => url.includes("/node_modules/yargs/"));

/** A run's outcome without what legitimately differs between two runs: the project's folder, stage times. */
function normalized(result: CliResult, dir: string) {
  const clean = (text: string) =>
    text
      .split(dir)
      .join("<project>")
      .replace(/"ms": [\d.e+-]+/g, '"ms": 0')
      .replace(/ +[\d.]+ ms$/gm, " <t> ms");
  return { code: result.code, stdout: clean(result.stdout), stderr: clean(result.stderr) };
}

/**
 * Runs `args` through the fast path in `fastDir` and through yargs in `yargsDir` (the same folder unless
 * the run writes), checks which path each took, and expects the same outcome. Returns the fast run.
 */
async function bothPaths(
  expect: ExpectStatic,
  args: readonly string[],
  fastDir: string,
  yargsDir = fastDir,
): Promise<CliResult> {
  expect(parseGenerateArgs(args), "the fast path reads these arguments").toBeDefined();
  expect(parseGenerateArgs(viaYargs(args)), "the fast path declines these arguments").toBeUndefined();
  const fast = await runCliTracingModules(args, { cwd: fastDir, env });
  const slow = await runCliTracingModules(viaYargs(args), { cwd: yargsDir, env });
  expect(loadsYargs(fast.modules), `${args.join(" ")} loaded yargs`).toBe(false);
  expect(loadsYargs(slow.modules), `${viaYargs(args).join(" ")} did not load yargs`).toBe(true);
  expect(normalized(fast, fastDir), args.join(" ")).toEqual(normalized(slow, yargsDir));
  return fast;
}

/** A project with a lock covering its config (hubspot and jira), never reaching the network. */
async function offlineProject(): Promise<string> {
  const dir = await project(configFor(NOWHERE, { apps: ["hubspot", "jira"] }));
  await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
  return dir;
}

describe.concurrent("generate's fast path and yargs print the same and exit the same", () => {
  it("first run: writes the same files and reports them the same way", async ({ expect }) => {
    for (const args of [["generate", "--offline", "--json"], ["generate", "--offline"], ["generate"]]) {
      const [fastDir, yargsDir] = [await offlineProject(), await offlineProject()];
      const fast = await bothPaths(expect, args, fastDir, yargsDir);
      expect(fast.code).toBe(0);
      expect(fast.stdout).toMatch(/wrote|"added"/);
      expect(await differingFiles(fastDir, yargsDir)).toEqual([]);
    }
  });

  it("up-to-date output, with every flag the fast path reads", async ({ expect }) => {
    const dir = await offlineProject();
    expect((await runCli(["generate", "--offline"], { cwd: dir, env })).code).toBe(0);
    const before = await snapshotTree(dir);
    for (const args of [
      ["generate", "--offline"],
      ["generate", "--offline", "--json"],
      ["generate", "--offline", "--quiet"],
      ["generate", "--offline", "--verbose"],
      ["generate", "--check"],
      ["generate", "--check", "--json", "--verbose"],
      ["generate", "--config", "refold.codegen.json", "--offline"],
      ["generate", "--config=refold.codegen.json", "--quiet", "--check"],
    ]) {
      const fast = await bothPaths(expect, args, dir);
      expect(fast.code).toBe(0);
    }
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("stale output under --check: exit 1 and the same list", async ({ expect }) => {
    const dir = await offlineProject();
    expect((await runCli(["generate", "--offline"], { cwd: dir, env })).code).toBe(0);
    await appendFile(join(dir, "generated", "jira.ts"), "// edited\n");
    for (const args of [
      ["generate", "--check"],
      ["generate", "--check", "--json"],
      ["generate", "--check", "--quiet"],
    ]) {
      const fast = await bothPaths(expect, args, dir);
      expect(fast.code).toBe(1);
    }
  });

  it("failures: no config, a config that is not there, a lock that does not cover the config", async ({ expect }) => {
    const empty = await tempDir();
    for (const args of [
      ["generate", "--offline"],
      ["generate", "--json"],
      ["generate", "--config=missing.json"],
    ]) {
      const fast = await bothPaths(expect, args, empty);
      expect(fast.code).toBe(2);
    }
    const uncovered = await project(configFor(NOWHERE, { apps: ["hubspot", "jira"] }));
    await writeLockFrom(uncovered, pick(await catalog(), "jira"));
    for (const args of [
      ["generate", "--offline"],
      ["generate", "--offline", "--json"],
      ["generate", "--check"],
    ]) {
      const fast = await bothPaths(expect, args, uncovered);
      expect(fast.code).toBe(2);
    }
  });

  it("a pull: the same lock report, changelog and files", async ({ expect }) => {
    const server = await emulator();
    const [fastDir, yargsDir] = [await project(configFor(server.url)), await project(configFor(server.url))];
    const fast = await bothPaths(expect, ["generate", "--refresh", "--changelog", "CHANGES.md"], fastDir, yargsDir);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toMatch(/^lock /m);
    expect(Object.keys(await snapshotTree(fastDir))).toEqual(
      expect.arrayContaining(["refold.lock.json", "CHANGES.md"]),
    );
    expect(await differingFiles(fastDir, yargsDir)).toEqual([]);
  });
});

describe.concurrent("what the fast path loads, and what it leaves to yargs", () => {
  it("loads neither yargs nor the other commands' code", async ({ expect }) => {
    const dir = await offlineProject();
    const result = await runCliTracingModules(["generate", "--offline", "--quiet"], { cwd: dir, env });
    expect(result.code).toBe(0);
    const ours = result.modules.filter((url) => url.includes("/dist/generator/"));
    expect(ours.some((url) => url.endsWith("/generator/cli/generate.js"))).toBe(true);
    for (const unwanted of ["/cli/program.js", "/cli/watch.js", "/generator/watch.js", "/mock/"])
      expect(ours.filter((url) => url.includes(unwanted))).toEqual([]);
    expect(loadsYargs(result.modules)).toBe(false);
  });

  it("--help, --version, unknown flags, extra arguments and conflicts next to fast-path flags stay yargs'", async ({
    expect,
  }) => {
    const dir = await tempDir(); // no config: a generate run here would fail with exit 2
    const help = await runCli(["generate", "--offline", "--help"], { cwd: dir, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^refold-codegen generate\n/);
    expect(help.stdout).toContain("--offline");

    const version = await runCli(["generate", "--quiet", "--version"], { cwd: dir, env });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);

    const unknown = await runCli(["generate", "--offline", "--ofline"], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^refold-codegen: Unknown argument: ofline\n/);

    const extra = await runCli(["generate", "--offline", "now"], { cwd: dir, env });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/Unknown argument: now/);

    const conflict = await runCli(["generate", "--json", "--check", "--changelog", "c.md"], { cwd: dir, env });
    expect(conflict.code).toBe(2);
    const doc = JSON.parse(conflict.stdout) as { ok: boolean; message: string };
    expect(doc.ok).toBe(false);
    expect(doc.message).toMatch(/changelog and check are mutually exclusive/);
  });
});

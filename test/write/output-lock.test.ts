import { spawnSync } from "node:child_process";
import { readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CodegenError } from "../../generator/diagnostics.js";
import { generate } from "../../generator/index.js";
import { serializeLock } from "../../generator/lock/write.js";
import { outputLockPath, withOutputLock, type LockHolder } from "../../generator/write/output-lock.js";
import { CLI } from "../cli/cli-helpers.js";
import { lockFromCatalog, sampleCatalog, tempProject } from "../helpers/project.js";

async function project(slugs: string[] = ["hubspot", "jira"]): Promise<string> {
  const dir = await tempProject({ apps: slugs, linkedAccountId: "a" });
  const catalog = await sampleCatalog();
  const apps = Object.fromEntries(slugs.map((slug) => [slug, catalog.apps[slug]!]));
  await writeFile(join(dir, "refold.lock.json"), serializeLock(lockFromCatalog({ apps })));
  return dir;
}

/** A pid no process has: that of a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

const env = { REFOLD_CODEGEN_CACHE_DIR: "off" };

describe("one run at a time per output folder", () => {
  it("waits while another live run holds the lock, says so once, and generates when it is released", async () => {
    const dir = await project();
    const lock = outputLockPath(join(dir, "generated"));
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    const waits: LockHolder[] = [];
    const started = Date.now();
    const running = generate({ cwd: dir, env, offline: true, onLockWait: (holder) => waits.push(holder) });
    await sleep(300);
    expect(waits).toEqual([{ pid: process.pid, host: hostname() }]);
    await rm(lock);
    const result = await running;
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.output.added).toContain("hubspot.ts");
    await expect(stat(lock)).rejects.toThrow(); // released after the run
  });

  it("takes over a lock whose process is gone, and one left empty or damaged by a run killed while writing it", async () => {
    const dir = await project();
    const lock = outputLockPath(join(dir, "generated"));
    await writeFile(lock, JSON.stringify({ pid: deadPid(), host: hostname() }));
    const waits: LockHolder[] = [];
    const onLockWait = (holder: LockHolder) => waits.push(holder);
    await generate({ cwd: dir, env, offline: true, onLockWait });
    const old = (Date.now() - 60_000) / 1000;
    for (const [content, apps] of [
      ["", ["jira"]],
      ["null", ["hubspot"]],
    ] as const) {
      await writeFile(lock, content);
      await utimes(lock, old, old);
      await writeFile(join(dir, "refold.codegen.json"), JSON.stringify({ apps, linkedAccountId: "a" }));
      expect((await generate({ cwd: dir, env, offline: true, onLockWait })).files).toContain(`${apps[0]}.ts`);
    }
    expect(waits).toEqual([]);
  });

  it("fails with the holder, the lock file and the fix when another host's run keeps it past the timeout", async () => {
    const dir = await project();
    const lock = outputLockPath(join(dir, "generated"));
    await writeFile(lock, JSON.stringify({ pid: 1, host: "build-agent-7" }));
    const failure = await withOutputLock(join(dir, "generated"), async () => "ran", { timeoutMs: 200 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CodegenError);
    const { message, diagnostics } = failure as CodegenError;
    expect(message).toContain("pid 1 on build-agent-7");
    expect(message).toContain(lock);
    expect(diagnostics[0]?.code).toBe("output-locked");
    expect(diagnostics[0]?.hint).toMatch(/delete the lock file/);
    expect(JSON.parse(await readFile(lock, "utf8"))).toEqual({ pid: 1, host: "build-agent-7" }); // not taken
  });

  it("lets concurrent runs over a changed lock all succeed, leaving a cold run's output", async () => {
    const dir = await project();
    await generate({ cwd: dir, env, offline: true });
    const catalog = await sampleCatalog();
    const apps = { hubspot: catalog.apps["hubspot"]!, jira: catalog.apps["slack"]! };
    await writeFile(join(dir, "refold.lock.json"), serializeLock(lockFromCatalog({ apps })));
    const runs = await Promise.allSettled([1, 2, 3, 4].map(() => generate({ cwd: dir, env, offline: true })));
    expect(runs.filter((run) => run.status === "rejected")).toEqual([]);
    const checked = await generate({ cwd: dir, env, offline: true, check: true });
    expect(checked.output).toEqual({ changed: [], added: [], removed: [] });
  });

  it("the CLI tells a waiting user which run it waits for", async () => {
    const dir = await project(["jira"]);
    const lock = outputLockPath(join(dir, "generated"));
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [CLI, "generate", "--offline"], {
      cwd: dir,
      env: { ...process.env, ...env },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    for (let waited = 0; !stderr.includes("waiting") && waited < 10_000; waited += 50) await sleep(50);
    expect(stderr).toContain(`waiting for another refold-codegen run (pid ${process.pid} on ${hostname()})`);
    expect(stderr).toContain(lock);
    await rm(lock);
    expect(await exited).toBe(0);
  });
});

/**
 * Runs a fleet of worker processes (worker.ts, bundled with esbuild as an app would be) against one emulator,
 * for test/fleet and the bench's fleet section.
 */

import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { esbuild } from "../runtimes/tools.js";
import type { CallRecord, WorkerPlan, WorkerReport } from "./worker.js";

export type { CallRecord, WorkerPlan, WorkerReport } from "./worker.js";

const ROOT = resolve(".");

/**
 * Bundles worker.ts into node_modules/.cache, so that the bundle finds ioredis and undici in the project's
 * node_modules as a deployed app would. Returns the bundle's path.
 */
export async function buildWorker(): Promise<string> {
  const result = await esbuild(ROOT).build({
    entryPoints: [join(ROOT, "test/fleet/worker.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    external: ["ioredis", "undici"],
    logLevel: "error",
  });
  const dir = join(ROOT, "node_modules/.cache/refold-fleet");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "worker.mjs");
  await writeFile(path, result.outputFiles[0]!.text);
  return path;
}

/** One request as the emulator saw it: when it arrived, how it was answered, the email of a write. */
export interface Arrival {
  at: number;
  status: number | undefined;
  email: string | undefined;
}

/** The emulator serving the committed lock's apps and enforcing a limit, logging each request's arrival. */
export async function startFleetEmulator(
  apiKey: string,
  rateLimit: { perSecond: number; burst: number },
): Promise<{ server: MockServer; arrivals: Arrival[] }> {
  const lock = JSON.parse(await readFile(join(ROOT, "refold.lock.json"), "utf8")) as {
    apps: Parameters<typeof startMock>[0]["apps"];
  };
  const arrivals: Arrival[] = [];
  const server = await startMock({
    apps: lock.apps,
    apiKey,
    rateLimit,
    log: (entry) => {
      const email = (entry.body as { email?: unknown } | undefined)?.email;
      arrivals.push({ at: Date.now(), status: entry.status, email: typeof email === "string" ? email : undefined });
    },
  });
  return { server, arrivals };
}

/** Seconds from the first call's start to the last call's end. */
export function spanSeconds(calls: readonly CallRecord[]): number {
  return (Math.max(...calls.map((call) => call.endedAt)) - Math.min(...calls.map((call) => call.startedAt))) / 1000;
}

/** Starts one process per plan and resolves to their reports, in plan order. */
export function runFleet(worker: string, plans: WorkerPlan[]): Promise<WorkerReport[]> {
  return Promise.all(plans.map((plan) => runWorker(worker, plan)));
}

function runWorker(worker: string, plan: WorkerPlan): Promise<WorkerReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(plan)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`fleet worker exited with ${String(code)}: ${stderr}`));
      try {
        resolvePromise(JSON.parse(stdout) as WorkerReport);
      } catch {
        reject(new Error(`fleet worker printed no report: ${stdout}\n${stderr}`));
      }
    });
  });
}

/**
 * examples/fleet, the recipe of issue 20, run as its README runs it: a BullMQ queue of per-account sync jobs and
 * worker processes sharing redisLimiter, on a real redis-server, against the emulator enforcing Refold's limit
 * (20 a second, burst 5). The example is built (generate --offline, then its strict tsc) from its own
 * node_modules, which `npm run toolchains` installs from its committed package-lock.json.
 */

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { RedisServer } from "./redis-server.js";

const run = promisify(execFile);
const EXAMPLE = resolve("examples/fleet");
const API_KEY = "tk_fleet_example_0123456789";

interface Summary {
  workers: number;
  jobs: number;
  completed: number;
  failed: number;
  rateLimited: number;
  pauses: number;
  limiterErrors: number;
  seconds: number;
}

let redis: RedisServer | undefined;
let emulator: MockServer | undefined;
/** The example's `npm run build`: what it printed, or why it failed. Every test waits for it. */
let built: Promise<{ stdout: string }>;
let runs = 0;

beforeAll(async () => {
  // `npm run toolchains` installs the example; a lone `npx vitest run` of this file does it here.
  if (!existsSync(join(EXAMPLE, "node_modules/bullmq/package.json"))) {
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: EXAMPLE });
  }
  built = run("npm", ["run", "--silent", "build"], { cwd: EXAMPLE }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new Error(`npm run build failed in examples/fleet:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    },
  );
  built.catch(() => undefined); // reported by the tests
  redis = await RedisServer.start();
}, 300_000);
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
afterAll(() => redis?.stop());

async function startEmulator(): Promise<MockServer> {
  const lock = JSON.parse(await readFile("refold.lock.json", "utf8")) as {
    apps: Parameters<typeof startMock>[0]["apps"];
  };
  emulator = await startMock({ apps: lock.apps, apiKey: API_KEY, rateLimit: { perSecond: 20, burst: 5 } });
  return emulator;
}

/** `node dist/src/run.js --json` in the example, as `npm start` runs it after the build. */
async function runFleet(server: MockServer, workers: number, accounts: number): Promise<Summary> {
  await built;
  const env = {
    ...process.env,
    REDIS_URL: redis!.url,
    REFOLD_API_KEY: API_KEY,
    REFOLD_BASE_URL: server.url,
    WORKERS: String(workers),
    ACCOUNTS: String(accounts),
    QUEUE: `example-${++runs}`,
  };
  const { stdout } = await run(process.execPath, ["dist/src/run.js", "--json"], {
    cwd: EXAMPLE,
    env,
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as Summary;
}

describe("examples/fleet", () => {
  it("builds: generates its client and compiles under strict TypeScript with the real tsc", async () => {
    const { stdout } = await built;
    // The generator reports its output; tsc prints nothing when the example compiles.
    expect(stdout).not.toMatch(/error TS\d+/);
    expect(existsSync(join(EXAMPLE, "dist/src/run.js"))).toBe(true);
    expect(existsSync(join(EXAMPLE, "dist/src/worker.js"))).toBe(true);
  }, 180_000);

  it("three workers sharing redisLimiter finish 60 jobs with (almost) no 429", async () => {
    const server = await startEmulator();
    const summary = await runFleet(server, 3, 20);
    expect(summary).toMatchObject({ workers: 3, jobs: 60, completed: 60, failed: 0, limiterErrors: 0 });
    expect(server.stats.limited).toBeLessThanOrEqual(1);
    expect(summary.rateLimited).toBe(server.stats.limited);
    expect(server.stats.requests).toBe(60 + server.stats.limited);
  }, 120_000);

  it("pauses the queue on a 429 the client gave up on, and still completes every job", async () => {
    const server = await startEmulator();
    // A run of 429s (Retry-After: 1) outlasts the client's retries and the limiter's retry budget, so some
    // jobs end in RefoldRateLimitError: the worker pauses the queue and BullMQ puts the job back.
    server.setFaults([{ route: "execute", status: 429, retryAfter: 1, times: 15 }]);
    const summary = await runFleet(server, 3, 20);
    expect(summary).toMatchObject({ jobs: 60, completed: 60, failed: 0 });
    expect(summary.rateLimited).toBeGreaterThanOrEqual(15);
    expect(summary.pauses).toBeGreaterThan(0);
  }, 120_000);
});

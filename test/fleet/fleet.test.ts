/**
 * Several worker processes (the generated client, bundled as an app is) share one limit through a real
 * redis-server, against the emulator enforcing that limit: almost no 429s and nearly the whole rate; a 429
 * seen by one process holds back all of them until its Retry-After ends.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../generator/mock/index.js";
import {
  buildWorker,
  runFleet,
  spanSeconds,
  startFleetEmulator,
  type Arrival,
  type CallRecord,
  type WorkerPlan,
} from "./fleet.js";
import { RedisServer } from "./redis-server.js";

const API_KEY = "tk_fleet_SECRET_0123456789";
let redis: RedisServer;
let worker: string;
let emulator: MockServer | undefined;
let keys = 0;
/** When each request arrived at the emulator, and how it was answered. */
let arrivals: Arrival[] = [];

beforeAll(async () => {
  [redis, worker] = await Promise.all([RedisServer.start(), buildWorker()]);
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
afterAll(() => redis?.stop());

async function startEmulator(rate: number, burst: number): Promise<MockServer> {
  const started = await startFleetEmulator(API_KEY, { perSecond: rate, burst });
  ({ server: emulator, arrivals } = started);
  return started.server;
}

function plans(server: MockServer, count: number, calls: number, extra: Partial<WorkerPlan> = {}): WorkerPlan[] {
  const key = `fleet${++keys}`;
  const startAt = Date.now() + 1500;
  return Array.from({ length: count }, (_, index) => ({
    baseUrl: server.url,
    apiKey: API_KEY,
    limiter: "redis" as const,
    redisPort: redis.port,
    key,
    rate: 40,
    burst: 5,
    accounts: Array.from({ length: calls }, (_, call) => `acct-${index}-${call % 3}`),
    concurrency: 8,
    startAt,
    ...extra,
  }));
}

describe("a fleet sharing redisLimiter", () => {
  it("keeps four processes under the server's limit while using nearly all of it", async () => {
    const server = await startEmulator(40, 5);
    const reports = await runFleet(worker, plans(server, 4, 50));
    const calls = reports.flatMap((report) => report.calls);
    expect(calls).toHaveLength(200);
    expect(calls.filter((call) => call.outcome !== "ok")).toEqual([]);
    expect(server.stats.limited).toBeLessThanOrEqual(1);
    // 200 calls at 40 a second, less the first burst: about 4.9 s when the whole limit is used. The bench holds
    // the 90% target on a machine to itself; here other test files share the two cores (per-process clients,
    // without the limiter, get about 40%).
    expect(200 / spanSeconds(calls)).toBeGreaterThanOrEqual(0.8 * 40);
  });

  it("holds every process back while a 429's Retry-After lasts, then all resume", async () => {
    const server = await startEmulator(1000, 100);
    const fleet = runFleet(worker, plans(server, 3, 60, { rate: 30 }));
    // Once the fleet is under way, one 429 with Retry-After: 1, answered to whichever process asks next.
    while (arrivals.length < 30) await new Promise((resolve) => setTimeout(resolve, 10));
    server.setFaults([{ route: "execute", status: 429, retryAfter: 1, times: 1 }]);
    const calls: CallRecord[] = (await fleet).flatMap((report) => report.calls);
    expect(calls.filter((call) => call.outcome !== "ok")).toEqual([]);
    const limited = arrivals.find((arrival) => arrival.status === 429);
    expect(limited).toBeDefined();
    // Requests already on their way may land just after it; then nothing until the second is over.
    const during = arrivals.filter(
      (arrival) => arrival.at > limited!.at + 100 && arrival.at < limited!.at + 1000 - 100,
    );
    expect(during).toEqual([]);
    const after = arrivals.filter((arrival) => arrival.at >= limited!.at + 900);
    expect(after.length).toBeGreaterThan(0);
  });
});

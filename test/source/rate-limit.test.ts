import { afterEach, describe, expect, it } from "vitest";
import { pullApps } from "../../generator/source/index.js";
import { RateLimiter, type Timing } from "../../generator/source/rate-limit.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";

/** A clock that only moves when told to; `reserve()` is synchronous, so no real waiting happens. */
function fakeClock(): Timing & { set(ms: number): void } {
  let now = 0;
  return { now: () => now, sleep: async () => undefined, set: (ms) => (now = ms) };
}

/** Send times of `count` reservations made at `at`. */
function schedule(limiter: RateLimiter, clock: ReturnType<typeof fakeClock>, at: number, count: number): number[] {
  clock.set(at);
  return Array.from({ length: count }, () => at + limiter.reserve());
}

/** The smallest slack, in ms, by which `times` stay inside a token bucket (full at start): negative means a 429. */
function slack(times: readonly number[], perSecond: number, burst: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let least = Infinity;
  for (let i = 0; i < sorted.length; i += 1) {
    for (let k = i + burst; k < sorted.length; k += 1) {
      // k - i + 1 requests in [t_i, t_k] need t_k - t_i >= (k - i + 1 - burst) / perSecond.
      least = Math.min(least, sorted[k]! - sorted[i]! - ((k - i + 1 - burst) * 1000) / perSecond);
    }
  }
  return least;
}

describe("RateLimiter (fake clock)", () => {
  it("lets a full burst go at once, then paces at the rate with one small margin that never accumulates", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(20, 5, clock);
    const times = schedule(limiter, clock, 0, 100);
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times[5]).toBe(60); // one interval (50 ms) plus the 10 ms margin
    expect(times[99]).toBe(95 * 50 + 10); // still one margin after 95 paced requests: the floor plus 10 ms
    for (let i = 6; i < 100; i += 1) expect(times[i]! - times[i - 1]!).toBeCloseTo(50, 9);
    expect(slack(times, 20, 5)).toBeGreaterThanOrEqual(10 - 1e-9);
  });

  it("gives a full burst again after rest, and only what has refilled after a short pause", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(20, 5, clock);
    const first = schedule(limiter, clock, 0, 5);
    // 120 ms later 2.4 tokens have come back: two go at once, the third waits for its token plus the margin.
    const partial = schedule(limiter, clock, 120, 3);
    expect(partial).toEqual([120, 120, 160]);
    const rested = schedule(limiter, clock, 10_000, 6);
    expect(rested).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_060]);
    expect(slack([...first, ...partial], 20, 5)).toBeGreaterThanOrEqual(10 - 1e-9);
  });

  it("keeps the margin against the requests before a near-rest gap", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(20, 5, clock);
    const times = [...schedule(limiter, clock, 0, 7)];
    // Just after the bucket is full again, but inside the jitter allowance: not a fresh burst.
    for (const at of [400, 405, 500, 501, 502, 503, 504, 505, 506]) times.push(...schedule(limiter, clock, at, 1));
    expect(slack(times, 20, 5)).toBeGreaterThanOrEqual(10 - 1e-9);
  });

  it("paces a burst of one at exactly the interval, without drift", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, 1, clock);
    const times = schedule(limiter, clock, 0, 50);
    expect(times[0]).toBe(0);
    expect(times[49]! - times[1]!).toBeCloseTo(48 * 100, 9);
  });

  it("holds every request back during a pause (Retry-After of a 429)", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(20, 5, clock);
    schedule(limiter, clock, 0, 2);
    clock.set(10);
    limiter.pause(1000);
    const after = schedule(limiter, clock, 20, 3);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(1010);
  });
});

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function bigApp(actionCount: number, extra: Parameters<typeof startFakeServer>[0] = {}) {
  const actions = Array.from({ length: actionCount }, (_, i) => ({ action_id: `action_${String(i).padStart(3, "0")}` }));
  const parameters = Object.fromEntries(actions.map((a) => [a.action_id, [{ name: "x", type: "text" }]]));
  const server = await startFakeServer({ apiKey: "k", apps: { big: { actions, parameters } }, ...extra });
  servers.push(server);
  return server;
}

describe("rate limit and concurrency against a real server", () => {
  it.each([
    [{ perSecond: 50, burst: 5 }, 39],
    [{ perSecond: 20, burst: 5 }, 24],
  ])("never trips a server enforcing exactly %o, and stays near the floor", async (limit, actionCount) => {
    const server = await bigApp(actionCount, { rateLimit: limit });
    const started = performance.now();
    const result = await pullApps([{ slug: "big" }], {
      baseUrl: server.url,
      auth: { apiKey: "k" },
      linkedAccountId: "a",
      rateLimit: limit,
      // The server's own 429 answers say "retry after 1 s"; none must happen.
      maxRetries: 0,
    });
    const elapsed = performance.now() - started;
    expect(result.diagnostics).toEqual([]);
    expect(server.stats.limited).toBe(0);
    const requests = actionCount + 1;
    const floor = ((requests - limit.burst) * 1000) / limit.perSecond;
    expect(elapsed).toBeGreaterThanOrEqual(floor - 5);
    expect(elapsed).toBeLessThan(floor + 300);
    // As the server saw them: never more than burst + rate * t in any window.
    expect(slack(server.requests.map((r) => r.at), limit.perSecond, limit.burst)).toBeGreaterThan(0);
  });

  it.each([3, 5])("keeps at most %i requests in flight", async (concurrency) => {
    const server = await bigApp(20, { latencyMs: 40 });
    const result = await pullApps([{ slug: "big" }], {
      baseUrl: server.url,
      auth: { apiKey: "k" },
      linkedAccountId: "a",
      rateLimit: false,
      concurrency,
    });
    expect(result.diagnostics).toEqual([]);
    expect(server.stats.maxInFlight).toBe(concurrency);
  });

  it("uses 8 requests in flight by default", async () => {
    const server = await bigApp(20, { latencyMs: 40 });
    await pullApps([{ slug: "big" }], { baseUrl: server.url, auth: { apiKey: "k" }, linkedAccountId: "a", rateLimit: false });
    expect(server.stats.maxInFlight).toBe(8);
  });
});

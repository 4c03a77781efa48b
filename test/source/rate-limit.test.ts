import { afterEach, describe, expect, it } from "vitest";
import { pullApps } from "../../generator/source/index.js";
import { RateLimiter, type Timing } from "../../generator/source/rate-limit.js";
import { startFakeServer, type FakeServer } from "./fake-server.js";

/** Virtual time: `sleep` waits for `advance`, so schedules are exact and the tests take no real time. */
class VirtualTime implements Timing {
  private time = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = () => this.time;
  sleep = (ms: number) => new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, resolve }));

  /** Runs every timer due up to `target`, in order, letting promise chains settle between them. */
  async advance(target: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers.sort((a, b) => a.at - b.at)[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    this.time = Math.max(this.time, target);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Starts `count` requests now; each is answered `latency(i)` ms after it is sent. Returns send and answer times. */
function traffic(limiter: RateLimiter, clock: VirtualTime, count: number, latency: (i: number) => number) {
  const sent: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(async (arrived) => {
      sent[i] = clock.now();
      await clock.sleep(latency(i));
      answered[i] = clock.now();
      arrived();
    });
  }
  return { sent, answered };
}

/**
 * The smallest slack, in ms, of the server's bucket condition with worst-case arrivals: request i arriving
 * as late as its answer, request k as early as its send. Negative would mean a possible 429.
 */
function worstSlack(sent: readonly number[], answered: readonly number[], perSecond: number, burst: number): number {
  let least = Infinity;
  for (let i = 0; i < sent.length; i += 1) {
    for (let k = i + burst; k < sent.length; k += 1) {
      least = Math.min(least, sent[k]! - answered[i]! - ((k - i + 1 - burst) * 1000) / perSecond);
    }
  }
  return least;
}

/** The same condition with the times a server saw (arrival order). */
function slack(times: readonly number[], perSecond: number, burst: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return worstSlack(sorted, sorted, perSecond, burst);
}

describe("RateLimiter (virtual time)", () => {
  it("lets a full burst go at once, then paces at the rate without drift", async () => {
    const clock = new VirtualTime();
    const { sent, answered } = traffic(new RateLimiter(20, 5, clock), clock, 100, () => 0);
    await clock.advance(10_000);
    expect(sent.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(sent[5]).toBe(52); // one interval after the first answer, plus the 2 ms rounding margin
    expect(sent[99]).toBe(95 * 50 + 2); // the floor, plus the margin once
    expect(worstSlack(sent, answered, 20, 5)).toBeGreaterThanOrEqual(2);
  });

  it("shifts the schedule once by the answer time while answers come within (burst - 1) intervals", async () => {
    const clock = new VirtualTime();
    const { sent, answered } = traffic(new RateLimiter(20, 5, clock), clock, 60, () => 150);
    await clock.advance(10_000);
    expect(sent.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(sent[5]).toBe(150 + 50 + 2);
    expect(sent[59]! - sent[5]!).toBeCloseTo(54 * 50, 6);
    expect(worstSlack(sent, answered, 20, 5)).toBeGreaterThanOrEqual(2);
  });

  it("stays safe under random latencies and slows down rather than risk a 429 when answers are slow", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 600;
    const clock = new VirtualTime();
    const { sent, answered } = traffic(new RateLimiter(20, 5, clock), clock, 80, () => random());
    await clock.advance(60_000);
    expect(sent).toHaveLength(80);
    expect(worstSlack(sent, answered, 20, 5)).toBeGreaterThanOrEqual(2);
  });

  it("gives a full burst again after a rest", async () => {
    const clock = new VirtualTime();
    const limiter = new RateLimiter(20, 5, clock);
    traffic(limiter, clock, 8, () => 1);
    await clock.advance(5_000);
    const later = traffic(limiter, clock, 6, () => 1);
    await clock.advance(6_000);
    expect(later.sent).toEqual([5000, 5000, 5000, 5000, 5000, 5053]);
  });

  it("holds every request back during a pause (Retry-After of a 429)", async () => {
    const clock = new VirtualTime();
    const limiter = new RateLimiter(20, 5, clock);
    limiter.pause(1000);
    const { sent } = traffic(limiter, clock, 3, () => 0);
    await clock.advance(2_000);
    expect(sent).toEqual([1000, 1000, 1000]);
  });
});

const KEY = "tk_rate_limit_key_123";
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function bigApp(actionCount: number, extra: Parameters<typeof startFakeServer>[0] = {}) {
  const actions = Array.from({ length: actionCount }, (_, i) => ({
    action_id: `action_${String(i).padStart(3, "0")}`,
  }));
  const parameters = Object.fromEntries(actions.map((a) => [a.action_id, [{ name: "x", type: "text" }]]));
  const server = await startFakeServer({ apiKey: KEY, apps: { big: { actions, parameters } }, ...extra });
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
      auth: { apiKey: KEY },
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
    expect(
      slack(
        server.requests.map((r) => r.at),
        limit.perSecond,
        limit.burst,
      ),
    ).toBeGreaterThan(0);
  });

  it.each([3, 5])("keeps at most %i requests in flight", async (concurrency) => {
    const server = await bigApp(20, { latencyMs: 40 });
    const result = await pullApps([{ slug: "big" }], {
      baseUrl: server.url,
      auth: { apiKey: KEY },
      linkedAccountId: "a",
      rateLimit: false,
      concurrency,
    });
    expect(result.diagnostics).toEqual([]);
    expect(server.stats.maxInFlight).toBe(concurrency);
  });

  it("uses 8 requests in flight by default", async () => {
    const server = await bigApp(20, { latencyMs: 40 });
    await pullApps([{ slug: "big" }], {
      baseUrl: server.url,
      auth: { apiKey: KEY },
      linkedAccountId: "a",
      rateLimit: false,
    });
    expect(server.stats.maxInFlight).toBe(8);
  });
});

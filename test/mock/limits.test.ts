import { afterAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { TokenBucket } from "../../generator/mock/rate-limit.js";
import { seededShuffle } from "../../generator/mock/shuffle.js";
import type { PulledApp } from "../../generator/lock/types.js";
import { call, fixtureApps, makeAgent, paths } from "./fixture.js";

const agent = makeAgent();
const servers: MockServer[] = [];
const start = async (options: Omit<Parameters<typeof startMock>[0], "apps"> & { apps?: Record<string, PulledApp> }) => {
  const server = await startMock({ apps: fixtureApps(), ...options });
  servers.push(server);
  return server;
};
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await agent.close();
});

describe("rate limit", () => {
  it("refuses past the burst with 429 and a rounded-up Retry-After, and counts refusals", async () => {
    const mock = await start({ rateLimit: { perSecond: 0.5, burst: 2 } });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call(agent, mock.url, "GET", paths.list("hubspot")));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 429, 429]);
    // One token per 2 s: the real wait is just under 2 s, so the header says 2.
    expect(answers[2]?.headers["retry-after"]).toBe("2");
    expect(answers[2]?.json()).toMatchObject({ status_code: 429, http_error_type: "TOO_MANY_REQUESTS" });
    expect(mock.stats).toEqual({ requests: 4, limited: 2, faulted: 0 });
    expect(mock.requests.map((entry) => entry.limited === true)).toEqual([false, false, true, true]);
  });

  it("says Retry-After: 1 at Refold's documented 20/s", async () => {
    const mock = await start({ rateLimit: { perSecond: 20, burst: 5 } });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => call(agent, mock.url, "GET", paths.list("hubspot"))),
    );
    const limited = statuses.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.every((res) => res.headers["retry-after"] === "1")).toBe(true);
    expect(mock.stats.limited).toBe(limited.length);
  });

  it("refills over time (token bucket, fake clock)", () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 4, burst: 2 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([undefined, undefined, 1]);
    now += 250; // one token back
    expect([bucket.take(), bucket.take()]).toEqual([undefined, 1]);
    now += 10_000; // never more than the burst
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([undefined, undefined, 1]);
  });

  it.each([
    [{ perSecond: 0, burst: 1 }, /perSecond/],
    [{ perSecond: 1, burst: 0 }, /burst/],
  ])("rejects %j", (options, message) => {
    expect(() => new TokenBucket(options)).toThrow(message);
  });
});

describe("latency", () => {
  it("delays every answer", async () => {
    const mock = await start({ latencyMs: 80 });
    const before = performance.now();
    expect((await call(agent, mock.url, "GET", paths.list("hubspot"))).status).toBe(200);
    expect(performance.now() - before).toBeGreaterThanOrEqual(70);
  });
});

describe("shuffled action lists", () => {
  const many: Record<string, PulledApp> = {
    big: {
      actions: Array.from({ length: 20 }, (_, i) => ({
        action_id: `action_${String(i).padStart(2, "0")}`,
        name: `A${i}`,
      })),
      parameters: {},
    },
  };
  const order = async (mock: MockServer) =>
    (await call(agent, mock.url, "GET", paths.list("big")))
      .json()
      .map((entry: { action_id: string }) => entry.action_id);

  it("is reproducible by seed, differs between seeds, and keeps every entry", async () => {
    const stored = many["big"]?.actions.map((entry) => entry.action_id);
    const a = await start({ apps: many, shuffle: true, seed: 7 });
    const b = await start({ apps: many, shuffle: true, seed: 7 });
    const c = await start({ apps: many, shuffle: true, seed: 8 });
    const first = await order(a);
    expect(await order(a)).toEqual(first); // stable across requests
    expect(await order(b)).toEqual(first); // and across servers with the same seed
    expect(await order(c)).not.toEqual(first);
    expect(first).not.toEqual(stored);
    expect([...first].sort()).toEqual(stored);
  });

  it("is off by default, and never the identity for two or more entries", async () => {
    const plain = await start({ apps: many });
    expect(await order(plain)).toEqual(many["big"]?.actions.map((entry) => entry.action_id));
    for (let seed = 0; seed < 50; seed++) expect(seededShuffle(["x", "y"], seed, "app")).toEqual(["y", "x"]);
    expect(seededShuffle(["only"], 1, "app")).toEqual(["only"]);
  });
});

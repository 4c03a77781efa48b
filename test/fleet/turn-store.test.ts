/**
 * The rules of a store of turns, held by the in-memory store (localLimiter) and by the Redis store
 * (redisLimiter, over ioredis and over node-redis, against a real redis-server): the same tests for all three.
 */

import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryTurns } from "../../templates/runtime/limiter-local.js";
import { redisCommands, RedisTurns, TURNS_SCRIPT, TURNS_SCRIPT_SHA } from "../../templates/runtime/limiter-redis.js";
import { turnLimits, type LimiterOptions, type TurnStore } from "../../templates/runtime/limiter.js";
import { RedisServer } from "./redis-server.js";

let redis: RedisServer;
let ioredis: Redis;
let nodeRedis: ReturnType<typeof createClient>;
let keys = 0;

beforeAll(async () => {
  redis = await RedisServer.start();
  ioredis = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true });
  await ioredis.connect();
  nodeRedis = createClient({ url: redis.url });
  nodeRedis.on("error", () => undefined);
  await nodeRedis.connect();
});
afterAll(async () => {
  ioredis?.disconnect();
  await nodeRedis?.close();
  await redis?.stop();
});

type Factory = (options: LimiterOptions) => TurnStore;
const stores: Array<[string, Factory]> = [
  ["memory", (options) => new MemoryTurns(turnLimits(options, "test"))],
  [
    "redis via ioredis",
    (options) => new RedisTurns(redisCommands(ioredis), `k${++keys}`, turnLimits(options, "test"), 1000),
  ],
  [
    "redis via node-redis",
    (options) => new RedisTurns(redisCommands(nodeRedis), `k${++keys}`, turnLimits(options, "test"), 1000),
  ],
];

// 10 a second: 100 ms between turns, wide enough that a busy machine's few ms of drift cannot flip a result.
const TEN: LimiterOptions = { rate: 10, burst: 5 };

async function waits(store: TurnStore, count: number, account = "a", retry = false): Promise<Array<number | string>> {
  const out: Array<number | string> = [];
  for (let i = 0; i < count; i++) {
    const turn = await store.reserve(account, retry, 10_000);
    out.push(turn.kind === "turn" ? turn.waitMs : turn.kind);
  }
  return out;
}

describe.each(stores)("a store of turns (%s)", (_name, make) => {
  it("gives the burst less the default two tokens of headroom at once, then one turn per interval", async () => {
    const got = await waits(make(TEN), 5);
    expect(got.slice(0, 3)).toEqual([0, 0, 0]);
    expect(got[3]).toBeGreaterThan(60);
    expect(got[3]).toBeLessThanOrEqual(100);
    expect(got[4]).toBeGreaterThan(160);
    expect(got[4]).toBeLessThanOrEqual(200);
  });

  it("refuses a turn beyond the caller's deadline, and reserves nothing for it", async () => {
    const store = make({ ...TEN, headroom: 0, burst: 1 });
    expect((await store.reserve("a", false, 10)).kind).toBe("turn");
    const late = await store.reserve("a", false, 10);
    expect(late.kind).toBe("late");
    const next = await store.reserve("a", false, 10_000);
    expect(next.kind === "turn" && next.waitMs).toBeLessThanOrEqual(100);
  });

  it("gives a refunded turn to the next caller", async () => {
    const store = make({ ...TEN, headroom: 0, burst: 1 });
    await waits(store, 2);
    await store.refund("a");
    const next = await store.reserve("a", false, 10_000);
    expect(next.kind === "turn" && next.waitMs).toBeLessThanOrEqual(100);
  });

  it("holds every account back during a 429's pause (scope org)", async () => {
    const store = make(TEN);
    await store.block("a", 300);
    const turn = await store.reserve("b", false, 10_000);
    expect(turn.kind).toBe("blocked");
    expect(turn.kind === "blocked" && turn.waitMs).toBeGreaterThan(250);
    expect(await store.blockedFor("c")).toBeGreaterThan(250);
  });

  it("holds back only the account that saw the 429 (scope account)", async () => {
    const store = make({ ...TEN, scope: "account" });
    await store.block("a", 300);
    expect((await store.reserve("a", false, 10_000)).kind).toBe("blocked");
    expect((await store.reserve("b", false, 10_000)).kind).toBe("turn");
    expect(await store.blockedFor("b")).toBe(0);
  });

  it("keeps a pause that a shorter one would cut", async () => {
    const store = make(TEN);
    await store.block("a", 400);
    await store.block("a", 50);
    expect(await store.blockedFor("a")).toBeGreaterThan(300);
  });

  it("refuses retries once the retry budget is spent, and refills it from first attempts", async () => {
    const store = make({ rate: 1000, burst: 100, retryBudget: { ratio: 0.5, reserve: 2 } });
    expect(await waits(store, 3, "a", true)).toEqual([0, 0, "budget"]);
    await waits(store, 2); // two first attempts earn one retry
    expect(await waits(store, 2, "a", true)).toEqual([0, "budget"]);
  });

  it("caps an account at its share while another account waits", async () => {
    const store = make({ rate: 10, burst: 1, headroom: 0, accountShare: 0.5 });
    await waits(store, 1, "small");
    const big = (await waits(store, 3, "big")) as number[];
    // Alone the big account would get a turn every 100 ms; beside a waiting account, every 200 ms.
    expect(big[1]! - big[0]!).toBeGreaterThan(150);
    expect(big[2]! - big[1]!).toBeGreaterThan(150);
  });

  it("lets an account have the whole rate when no other waits", async () => {
    const store = make({ rate: 10, burst: 1, headroom: 0, accountShare: 0.5 });
    const alone = (await waits(store, 3, "big")) as number[];
    expect(alone[2]! - alone[1]!).toBeLessThan(130);
  });
});

describe("the Redis store", () => {
  it("runs the script whose SHA-1 it names", () => {
    expect(createHash("sha1").update(TURNS_SCRIPT).digest("hex")).toBe(TURNS_SCRIPT_SHA);
  });

  it("loads the script again after Redis forgot it (SCRIPT FLUSH, a restart)", async () => {
    const store = new RedisTurns(redisCommands(ioredis), `k${++keys}`, turnLimits(TEN, "test"), 1000);
    await ioredis.script("FLUSH");
    expect((await store.reserve("a", false, 1000)).kind).toBe("turn");
    expect(await ioredis.script("EXISTS", TURNS_SCRIPT_SHA)).toEqual([1]);
  });

  it("keeps every key in one hash slot, for Redis Cluster", async () => {
    const key = `slot${++keys}`;
    const store = new RedisTurns(redisCommands(ioredis), key, turnLimits({ ...TEN, accountShare: 0.5 }, "test"), 1000);
    await store.reserve("a", false, 1000);
    await store.reserve("b", false, 1000);
    await store.reserve("b", true, 1000);
    await store.block("a", 1000);
    const written = await ioredis.keys(`*${key}*`);
    expect(written.length).toBeGreaterThanOrEqual(5);
    for (const name of written) expect(name.startsWith(`{${key}}:`)).toBe(true);
  });

  it("fails fast, sending nothing, when the client is not ready", async () => {
    const idle = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true });
    const store = new RedisTurns(redisCommands(idle), `k${++keys}`, turnLimits(TEN, "test"), 1000);
    const started = Date.now();
    await expect(store.reserve("a", false, 1000)).rejects.toThrow(/not ready/);
    expect(Date.now() - started).toBeLessThan(50);
    idle.disconnect();
  });

  it("names what it accepts when given something that is not a Redis client", () => {
    expect(() => redisCommands({ get: () => undefined })).toThrow(
      /ioredis client \(Redis or Cluster\) or a node-redis client/,
    );
  });
});

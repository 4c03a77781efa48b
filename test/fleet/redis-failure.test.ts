/**
 * What redisLimiter does when Redis fails, against a real redis-server that the tests stop, restart and pause:
 * "fail" rejects with RefoldLimiterError within the call's deadline and sends nothing; "local" keeps calls
 * going at this process's share of the rate; sharing resumes when Redis is back; a hung Redis never hangs a call.
 */

import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  redisLimiter,
  RefoldLimiterError,
  type RefoldClient,
  type RefoldLimiter,
} from "../../templates/runtime/index.js";
import { getContact, useTestServer } from "../runtime/fixtures.js";
import { RedisServer } from "./redis-server.js";

const { server, client: plain, track } = useTestServer();
let redis: RedisServer;
let keys = 0;

/** A client as docs/fleet.md recommends: reconnecting every 50 ms, failing commands rather than queueing them. */
function connect(): Redis {
  const client = new Redis({ host: "127.0.0.1", port: redis.port, retryStrategy: () => 50, maxRetriesPerRequest: 1 });
  client.on("error", () => undefined);
  track({ close: () => client.disconnect() });
  return client;
}

function client(limiter: RefoldLimiter, timeoutMs = 2000): RefoldClient {
  return plain({ limiter: track(limiter), timeoutMs, maxRetries: 0 });
}

async function ready(redisClient: Redis): Promise<void> {
  if (redisClient.status !== "ready") await new Promise((resolve) => redisClient.once("ready", resolve));
}

beforeAll(async () => {
  redis = await RedisServer.start();
});
// Whatever a test stopped runs again before the next test.
afterEach(() => redis.resume());
afterAll(() => redis?.stop());

describe('redisLimiter, onRedisError "fail" (the default)', () => {
  it("rejects at once with RefoldLimiterError while Redis is down, sends nothing, and resumes when it is back", async () => {
    const connection = connect();
    await ready(connection);
    const refold = client(redisLimiter({ redis: connection, key: `f${++keys}`, rate: 100, burst: 5 }));
    await refold.run(getContact, {});
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const error = await refold.run(getContact, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldLimiterError);
    expect((error as Error).message).toMatch(
      /hubspot\.get_contact: the limiter gave no turn: the Redis client is not ready/,
    );
    expect(Date.now() - started).toBeLessThan(100);
    expect(server.requests).toHaveLength(1);
    await redis.resume();
    await ready(connection);
    await refold.run(getContact, {});
    expect(server.requests).toHaveLength(2);
  });

  it("bounds a command to a hung Redis (CLIENT PAUSE) by redisTimeoutMs", async () => {
    const [connection, admin] = [connect(), connect()];
    await Promise.all([ready(connection), ready(admin)]);
    const refold = client(
      redisLimiter({ redis: connection, key: `f${++keys}`, rate: 100, burst: 5, redisTimeoutMs: 200 }),
    );
    await admin.call("CLIENT", "PAUSE", "1500", "ALL");
    const started = Date.now();
    const error = await refold.run(getContact, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldLimiterError);
    expect((error as Error).message).toMatch(/Redis did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(400);
    expect(server.requests).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1400));
  });

  it("bounds a command to a hung Redis by the call's own deadline when that is sooner", async () => {
    const [connection, admin] = [connect(), connect()];
    await Promise.all([ready(connection), ready(admin)]);
    const refold = client(redisLimiter({ redis: connection, key: `f${++keys}`, rate: 100, burst: 5 }), 150);
    await admin.call("CLIENT", "PAUSE", "1000", "ALL");
    const started = Date.now();
    await expect(refold.run(getContact, {})).rejects.toBeInstanceOf(RefoldLimiterError);
    expect(Date.now() - started).toBeLessThan(350);
    await new Promise((resolve) => setTimeout(resolve, 900));
  });
});

describe('redisLimiter, onRedisError "local"', () => {
  it("keeps calls going while Redis is down, at this process's share of the rate, and shares again when it is back", async () => {
    const key = `l${++keys}`;
    const [one, two] = [connect(), connect()];
    await Promise.all([ready(one), ready(two)]);
    // Two processes have used the limit, so each falls back to half of it: 10 a second, one at a time.
    const options = { key, rate: 20, burst: 2, headroom: 0, onRedisError: "local" as const };
    const first = client(redisLimiter({ ...options, redis: one }));
    const second = client(redisLimiter({ ...options, redis: two }));
    // Each learns the fleet's size from Redis's answers: two processes in the last 10 s.
    await second.run(getContact, {});
    await first.run(getContact, {});
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const at: number[] = [];
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => first.run(getContact, {}).then(() => at.push(Date.now()))));
    // Six calls one at a time at 10 a second: five intervals of 100 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(at).toHaveLength(6);
    await redis.resume();
    await ready(one);
    // Redis is asked again at most every 250 ms while a process runs on its own share.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.run(getContact, {});
    expect(await one.exists(`{${key}}:tat`)).toBe(1);
  });
});

/**
 * The client with a `limiter`: every attempt waits for a turn, a 429 pauses every call the limiter serves,
 * accounts take turns, retries stay within the budget, and waiting counts against the call's deadline.
 * localLimiter here; test/fleet holds the same rules across processes through Redis.
 */

import { describe, expect, it } from "vitest";
import {
  localLimiter,
  RefoldAbortError,
  RefoldConfigError,
  RefoldError,
  RefoldLimiterError,
  RefoldServerError,
  RefoldTimeoutError,
  type RefoldClient,
  type RefoldClientOptions,
  type RefoldLimiter,
} from "../../templates/runtime/index.js";
import { getContact, testClient, useTestServer } from "./fixtures.js";
import { ok } from "./server.js";

const fixture = useTestServer();
const { server } = fixture;
// The limiter is tracked first, so it is closed after its client.
const client = (limiter: RefoldLimiter, options: Partial<RefoldClientOptions> = {}): RefoldClient =>
  fixture.client({ limiter: fixture.track(limiter), ...options });
const account = (id: string) => ({ linkedAccountId: id });

describe("a client with a limiter", () => {
  it("sends the burst (less the default two tokens of headroom) at once, then one request per interval", async () => {
    // When each attempt is let go (the network would blur it: the first requests also open connections).
    const at: number[] = [];
    const refold = client(localLimiter({ rate: 50, burst: 4 }), { onRequest: () => at.push(Date.now()) });
    // A first call loads the transport (Node's fetch loads its code on first use, holding the event loop).
    await refold.run(getContact, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    at.length = 0;
    await Promise.all(Array.from({ length: 12 }, () => refold.run(getContact, {})));
    expect(at[1]! - at[0]!).toBeLessThan(10);
    // Ten turns after the two of the burst, 20 ms apart.
    expect(at[11]! - at[0]!).toBeGreaterThanOrEqual(195);
    expect(at[11]! - at[0]!).toBeLessThan(300);
  });

  it("holds every call back during a 429's Retry-After, then retries and resumes", async () => {
    server.script({ status: 429, headers: { "retry-after": "0.3" }, json: {} });
    const refold = client(localLimiter({ rate: 100, burst: 10 }));
    const first = refold.run(getContact, {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const others = Array.from({ length: 4 }, () => refold.run(getContact, {}));
    await Promise.all([first, ...others]);
    const [limited, ...rest] = server.requests;
    expect(rest).toHaveLength(5);
    for (const request of rest) expect(request.at - limited!.at).toBeGreaterThanOrEqual(280);
  });

  it("serves waiting calls round-robin across accounts, not first come first served", async () => {
    const refold = client(localLimiter({ rate: 40, burst: 1, headroom: 0 }));
    const big = Array.from({ length: 10 }, () => refold.run(getContact, {}, account("big")));
    const small = Array.from({ length: 3 }, () => refold.run(getContact, {}, account("small")));
    await Promise.all([...big, ...small]);
    const order = server.requests.map((request) => request.headers["linked_account_id"]);
    expect(order.lastIndexOf("small")).toBeLessThanOrEqual(6);
  });

  it("refuses retries beyond the retry budget: the call fails as its last attempt did", async () => {
    server.otherwise({ status: 503, json: { message: "down" } });
    const refold = client(localLimiter({ rate: 1000, burst: 50, retryBudget: { ratio: 0, reserve: 2 } }), {
      maxRetries: 3,
    });
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) errors.push(await refold.run(getContact, {}).catch((error: unknown) => error));
    // 3 first attempts, and the 2 retries the budget holds.
    expect(server.requests).toHaveLength(5);
    expect(errors.every((error) => error instanceof RefoldServerError)).toBe(true);
    expect((errors[2] as RefoldServerError).attempts).toBe(1);
  });

  it("rejects with RefoldLimiterError, sending nothing, when no turn comes before timeoutMs", async () => {
    const refold = client(localLimiter({ rate: 1, burst: 1, headroom: 0 }));
    await refold.run(getContact, {});
    const started = Date.now();
    const error = await refold.run(getContact, {}, { timeoutMs: 200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldLimiterError);
    expect(error).toMatchObject({ app: "hubspot", action: "get_contact", attempts: 0 });
    expect((error as Error).message).toMatch(/no turn before the call's deadline/);
    expect(Date.now() - started).toBeLessThan(150);
    expect(server.requests).toHaveLength(1);
  });

  it("counts the wait for a turn against timeoutMs", async () => {
    const refold = client(localLimiter({ rate: 5, burst: 1, headroom: 0 }), { maxRetries: 0 });
    await refold.run(getContact, {});
    server.script({ delayMs: 300, ...ok("slow") });
    // About 200 ms waiting for the turn leave about 200 ms of the 400 for a reply that takes 300.
    await expect(refold.run(getContact, {}, { timeoutMs: 400 })).rejects.toBeInstanceOf(RefoldTimeoutError);
  });

  it("gives an aborted call's turn to the next call", async () => {
    const refold = client(localLimiter({ rate: 2, burst: 1, headroom: 0 }));
    await refold.run(getContact, {});
    const controller = new AbortController();
    const aborted = refold.run(getContact, {}, { signal: controller.signal }).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 50);
    expect(await aborted).toBeInstanceOf(RefoldAbortError);
    const started = Date.now();
    await refold.run(getContact, {});
    // The aborted call's turn (500 ms after the first call), not the one after it (1000 ms).
    expect(Date.now() - started).toBeLessThan(700);
    expect(server.requests).toHaveLength(2);
  });

  it("reaches the caller as RefoldLimiterError when a limiter of your own fails, with its error as the cause", async () => {
    const broken: RefoldLimiter = {
      acquire: () => Promise.reject(new Error("store unreachable")),
      rateLimited: () => undefined,
      close: () => Promise.resolve(),
    };
    const error = await client(broken)
      .run(getContact, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldLimiterError);
    expect(error).toBeInstanceOf(RefoldError);
    expect((error as Error).message).toContain("store unreachable");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses calls once the limiter is closed", async () => {
    const limiter = localLimiter({ rate: 10, burst: 5 });
    const refold = client(limiter);
    await limiter.close();
    await expect(refold.run(getContact, {})).rejects.toThrow(/limiter is closed/);
  });

  it("refuses a limiter that is not one, and bad limiter options, naming them", () => {
    expect(() => testClient(server.url, { limiter: {} as RefoldLimiter })).toThrow(RefoldConfigError);
    expect(() => localLimiter({ rate: 0, burst: 5 })).toThrow(/localLimiter: rate must be a positive number, got 0/);
    expect(() => localLimiter({ rate: 20, burst: 5, accountShare: 2 })).toThrow(/accountShare/);
    expect(() => localLimiter({ rate: 20, burst: 5, scope: "team" as "org" })).toThrow(
      /scope must be "org" or "account"/,
    );
  });
});

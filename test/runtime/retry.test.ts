import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import {
  RefoldConnectionError,
  RefoldError,
  RefoldHttpError,
  RefoldRateLimitError,
  RefoldServerError,
  RefoldTimeoutError,
} from "../../templates/runtime/index.js";
import { isRetryable, parseRetryAfter, retryDelay } from "../../templates/runtime/retry.js";
import { createContact, getContact, testClient, useTestServer } from "./fixtures.js";
import { ok, type Reply } from "./server.js";

const { server, client, track } = useTestServer();
const settle = (promise: Promise<unknown>): Promise<unknown> => promise.catch((error: unknown) => error);

/** An address where nothing listens: connecting fails, so the request was certainly not sent. */
async function deadAddress(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("which failures are retried (maxRetries 2)", () => {
  const stall: Reply = { fault: "stall" };
  const table: [string, Reply, "read" | "write", boolean, number, string][] = [
    ["500 on a read", { status: 500, json: {} }, "read", false, 3, "RefoldServerError"],
    ["503 on a read", { status: 503, json: {} }, "read", false, 3, "RefoldServerError"],
    ["408 on a read", { status: 408, json: {} }, "read", false, 3, "RefoldHttpError"],
    ["429 on a read", { status: 429, json: {} }, "read", false, 3, "RefoldRateLimitError"],
    ["a dropped connection on a read", { fault: "destroy" }, "read", false, 3, "RefoldConnectionError"],
    ["a timeout on a read", stall, "read", false, 3, "RefoldTimeoutError"],
    ["a truncated body on a read", { fault: "truncate", partial: "{" }, "read", false, 3, "RefoldResponseError"],
    ["400 on a read", { status: 400, json: {} }, "read", false, 1, "RefoldValidationError"],
    ["401 on a read", { status: 401, json: {} }, "read", false, 1, "RefoldAuthenticationError"],
    ["404 on a read", { status: 404, json: {} }, "read", false, 1, "RefoldNotFoundError"],
    ["malformed JSON on a read", { body: "{oops" }, "read", false, 1, "RefoldResponseError"],
    ["a failed action on a read", { json: { node_status: "Errored" } }, "read", false, 1, "RefoldActionError"],
    ["429 on a write", { status: 429, json: {} }, "write", false, 3, "RefoldRateLimitError"],
    ["500 on a write", { status: 500, json: {} }, "write", false, 1, "RefoldServerError"],
    ["408 on a write", { status: 408, json: {} }, "write", false, 1, "RefoldHttpError"],
    ["a dropped connection on a write", { fault: "destroy" }, "write", false, 1, "RefoldConnectionError"],
    ["a timeout on a write", stall, "write", false, 1, "RefoldTimeoutError"],
    ["500 on a write with retryWrites", { status: 500, json: {} }, "write", true, 3, "RefoldServerError"],
    ["a timeout on a write with retryWrites", stall, "write", true, 3, "RefoldTimeoutError"],
  ];

  it.each(table)("%s", async (_name, reply, kind, retryWrites, attempts, errorName) => {
    server.otherwise(reply);
    const [spec, params] = kind === "read" ? [getContact, {}] : [createContact, { email: "a@b.c" }];
    const error = await settle(client({ retryWrites, timeoutMs: 150 }).run(spec, params));
    expect(error).toBeInstanceOf(RefoldError);
    expect((error as RefoldError).name).toBe(errorName);
    expect((error as RefoldError).attempts).toBe(attempts);
    expect(server.requests).toHaveLength(attempts);
  });

  it.each([["read" as const], ["write" as const]])("retries a %s whose connection was refused", async (kind) => {
    const refold = testClient(await deadAddress(), {});
    track(refold);
    const run = kind === "read" ? refold.run(getContact, {}) : refold.run(createContact, { email: "a@b.c" });
    const error = await settle(run);
    expect(error).toBeInstanceOf(RefoldConnectionError);
    expect(error).toMatchObject({ beforeSend: true, code: "ECONNREFUSED", attempts: 3 });
  });

  it("recovers when a retry succeeds", async () => {
    server.script({ status: 503, json: {} }, { fault: "destroy" }, ok({ id: 1 }));
    await expect(client().run(getContact, {})).resolves.toEqual({ id: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    ["client", { maxRetries: 0 }, {}, 1],
    ["call", {}, { maxRetries: 0 }, 1],
    ["call over client", { maxRetries: 0 }, { maxRetries: 4 }, 5],
  ])("honours maxRetries set on the %s", async (_where, clientOptions, callOptions, attempts) => {
    server.otherwise({ status: 500, json: {} });
    const error = await settle(client(clientOptions).run(getContact, {}, callOptions));
    expect((error as RefoldServerError).attempts).toBe(attempts);
  });
});

describe("retry delays", () => {
  it("waits the Retry-After seconds before retrying", async () => {
    server.script({ status: 429, headers: { "retry-after": "1" }, json: {} }, ok("done"));
    await expect(client().run(createContact, { email: "a@b.c" })).resolves.toBe("done");
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("caps Retry-After at retryAfterMaxMs", async () => {
    server.script({ status: 503, headers: { "retry-after": "30" }, json: {} }, ok("done"));
    await expect(client({ retryAfterMaxMs: 200 }).run(getContact, {})).resolves.toBe("done");
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(190);
    expect(gap).toBeLessThan(2000);
  });

  it("backs off exponentially when there is no Retry-After: each wait doubles, up to the cap", async () => {
    server.otherwise({ status: 500, json: {} });
    // Full jitter draws the wait in [0, step); a draw near 1 makes each wait its whole step: 40, 80, 160 ms.
    const random = vi.spyOn(Math, "random").mockReturnValue(0.999);
    try {
      await settle(client({ retryBaseDelayMs: 40, retryMaxDelayMs: 1000, maxRetries: 3 }).run(getContact, {}));
    } finally {
      random.mockRestore();
    }
    expect(server.requests).toHaveLength(4);
    const at = server.requests.map((request) => request.at);
    const gaps = at.slice(1).map((time, index) => time - (at[index] as number));
    for (const [index, step] of [40, 80, 160].entries()) {
      expect(gaps[index], `wait before retry ${index + 1}`).toBeGreaterThanOrEqual(step - 2);
      expect(gaps[index], `wait before retry ${index + 1}`).toBeLessThan(step + 60);
    }
  });

  it("pauses every call of the client after a 429", async () => {
    server.script({ status: 429, headers: { "retry-after": "1" }, json: {} });
    const refold = client();
    const first = refold.run(getContact, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = refold.run(getContact, {});
    await Promise.all([first, second]);
    const [limited, ...rest] = server.requests;
    for (const request of rest) expect(request.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });
});

describe("retry policy units", () => {
  it.each([
    ["seconds", "3", 3000],
    ["fractional seconds", "0.5", 500],
    ["an HTTP date", new Date(1_000_000 + 4000).toUTCString(), 4000],
    ["a past date", new Date(0).toUTCString(), 0],
    ["garbage", "soon", undefined],
    ["nothing", undefined, undefined],
  ])("parses Retry-After given as %s", (_name, value, want) => {
    expect(parseRetryAfter(value, 1_000_000)).toBe(want);
  });

  it("applies full jitter under an exponential cap", () => {
    const delays = { retryBaseDelayMs: 100, retryMaxDelayMs: 1000, retryAfterMaxMs: 5000 };
    expect(retryDelay(1, undefined, delays, () => 0.999)).toBe(99);
    expect(retryDelay(3, undefined, delays, () => 0.999)).toBe(399);
    expect(retryDelay(10, undefined, delays, () => 0.999)).toBe(999);
    expect(retryDelay(3, undefined, delays, () => 0)).toBe(0);
    expect(retryDelay(1, 9000, delays)).toBe(5000);
    expect(retryDelay(1, 200, delays)).toBe(200);
  });

  it("never retries a write after a 5xx or a timeout", () => {
    const server500 = new RefoldServerError("x", { status: 500 });
    const timeout = new RefoldTimeoutError("x", { timeoutMs: 1 });
    const limited = new RefoldRateLimitError("x", { status: 429 });
    const refused = new RefoldConnectionError("x", { beforeSend: true });
    const dropped = new RefoldConnectionError("x", { beforeSend: false });
    expect([server500, timeout, dropped].map((e) => isRetryable(e, "write", false))).toEqual([false, false, false]);
    expect([limited, refused].map((e) => isRetryable(e, "write", false))).toEqual([true, true]);
    expect([server500, timeout, dropped].map((e) => isRetryable(e, "read", false))).toEqual([true, true, true]);
    expect(isRetryable(new RefoldHttpError("x", { status: 409 }), "read", true)).toBe(false);
  });
});

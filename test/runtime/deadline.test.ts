import { getEventListeners } from "node:events";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RefoldAbortError, RefoldTimeoutError } from "../../templates/runtime/index.js";
import { DEADLINE_TICK_MS } from "../../templates/runtime/transport.js";
import { createContact, getContact, useTestServer } from "./fixtures.js";
import { ok } from "./server.js";

const { server, client } = useTestServer();
const settle = (promise: Promise<unknown>): Promise<unknown> => promise.catch((error: unknown) => error);
const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
/** Long enough for the deadlines' tick to find nothing in flight and stop. */
const quiet = () => new Promise((resolve) => setTimeout(resolve, DEADLINE_TICK_MS * 3));

describe("the deadline", () => {
  it("covers a body that stalls after the headers", async () => {
    server.script({ fault: "stall", partial: '{"node_status":"Success","da' });
    const started = Date.now();
    const error = await settle(client({ maxRetries: 0 }).run(getContact, {}, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(RefoldTimeoutError);
    expect(error).toMatchObject({ status: 200, timeoutMs: 200, attempts: 1 });
    expect((error as Error).message).toMatch(/while the response body was read/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("covers slow response headers", async () => {
    server.script({ delayMs: 600, json: { node_status: "Success", data: 1 } });
    const error = await settle(client({ timeoutMs: 100, maxRetries: 0 }).run(createContact, { email: "a@b.c" }));
    expect(error).toBeInstanceOf(RefoldTimeoutError);
    expect((error as Error).message).toMatch(/before the response headers arrived/);
  });

  it("covers a body that trickles in without ever going idle", async () => {
    server.script({ fault: "trickle", intervalMs: 10 });
    const started = Date.now();
    const error = await settle(client({ maxRetries: 0 }).run(getContact, {}, { timeoutMs: 300 }));
    expect(error).toBeInstanceOf(RefoldTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("applies per attempt, so a read that timed out can succeed on retry", async () => {
    server.script({ fault: "stall" }, ok("second"));
    await expect(client({ timeoutMs: 150 }).run(getContact, {})).resolves.toBe("second");
  });

  it("applies per attempt when given per call, too", async () => {
    server.script({ fault: "stall" }, ok("second"));
    await expect(client().run(getContact, {}, { timeoutMs: 150 })).resolves.toBe("second");
  });

  it("is documented one way, per attempt, wherever an option declares it", () => {
    for (const file of ["templates/runtime/types.ts", "templates/runtime/options.ts"]) {
      const source = readFileSync(file, "utf8");
      const docs = [...source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*timeoutMs\?:/g)].map(
        (match) => match[1] ?? "",
      );
      expect(docs.length, file).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc, file).toMatch(/each attempt/);
        expect(doc, file).not.toMatch(/whole call/);
      }
    }
  });
});

describe("the caller's signal", () => {
  it("aborts mid-body, without retrying", async () => {
    server.otherwise({ fault: "stall" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user gave up")), 100);
    const started = Date.now();
    const error = await settle(client().run(getContact, {}, { signal: controller.signal }));
    expect(error).toBeInstanceOf(RefoldAbortError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(((error as Error).cause as Error).message).toBe("user gave up");
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refuses to start when already aborted", async () => {
    const error = await settle(client().run(getContact, {}, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(RefoldAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it("cuts short the wait between retries", async () => {
    server.otherwise({ status: 503, headers: { "retry-after": "10" }, json: {} });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await settle(client().run(getContact, {}, { signal: controller.signal }));
    expect(error).toBeInstanceOf(RefoldAbortError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("aborts many concurrent calls sharing one signal, with a single listener", async () => {
    server.otherwise({ fault: "stall" });
    const controller = new AbortController();
    const refold = client();
    const calls = Array.from({ length: 50 }, () => settle(refold.run(getContact, {}, { signal: controller.signal })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    const errors = await Promise.all(calls);
    expect(errors.every((error) => error instanceof RefoldAbortError)).toBe(true);
  });

  it("leaves no listener on the signal and no timer behind", async () => {
    const refold = client();
    const controller = new AbortController();
    await quiet();
    const before = timers();
    for (let i = 0; i < 200; i++) await refold.run(getContact, {}, { signal: controller.signal });
    server.script({ status: 500, json: {} }, { fault: "destroy" });
    await refold.run(getContact, {}, { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    await quiet();
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("watches every attempt in flight with one timer, not one each", async () => {
    server.otherwise({ fault: "stall" });
    const refold = client({ maxRetries: 0 });
    await quiet();
    const before = timers();
    const calls = Array.from({ length: 50 }, () => settle(refold.run(getContact, {}, { timeoutMs: 300 })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A timer per attempt would show 50 more here; the deadlines' one tick is unref'd, so Node does not count it.
    expect(timers()).toBeLessThanOrEqual(before);
    const errors = await Promise.all(calls);
    expect(errors.every((error) => error instanceof RefoldTimeoutError)).toBe(true);
  });
});

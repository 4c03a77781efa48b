import { describe, expect, it } from "vitest";
import { RefoldRateLimitError, RefoldValidationError, runBulk } from "../../templates/runtime/index.js";
import { getContact, useTestServer } from "./fixtures.js";
import { ok } from "./server.js";

const { server, client } = useTestServer();

const accounts = Array.from({ length: 12 }, (_, i) => `acct-${i}`);

describe("runBulk", () => {
  it("returns one settled result per input, in input order", async () => {
    server.otherwise((request) =>
      request.headers["linked_account_id"] === "acct-5"
        ? { status: 400, json: { message: "bad" } }
        : { delayMs: Math.random() * 20, ...ok(request.headers["linked_account_id"]) },
    );
    const refold = client();
    const results = await runBulk(accounts, (id) => refold.forAccount(id).run(getContact, {}), { concurrency: 4 });
    expect(results).toHaveLength(accounts.length);
    results.forEach((result, index) => {
      if (index === 5) {
        expect(result.status).toBe("rejected");
        expect(result.status === "rejected" && result.error).toBeInstanceOf(RefoldValidationError);
      } else {
        expect(result).toEqual({ status: "fulfilled", value: accounts[index] });
      }
    });
  });

  it("never runs more than `concurrency` inputs at once", async () => {
    let running = 0;
    let peak = 0;
    const results = await runBulk(
      Array.from({ length: 20 }, (_, i) => i),
      async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return n * 2;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(results.map((result) => result.status === "fulfilled" && result.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
  });

  it("pauses every worker together on a 429, honouring Retry-After, then completes every input", async () => {
    server.otherwise((_request, index) =>
      index === 3 ? { status: 429, headers: { "retry-after": "1" }, json: {} } : { delayMs: 10, ...ok(index) },
    );
    // The client does not retry, so the 429 reaches runBulk, which must pause and re-run the input.
    const refold = client({ maxRetries: 0 });
    const results = await runBulk(accounts, (id) => refold.forAccount(id).run(getContact, {}), { concurrency: 4 });
    expect(results.every((result) => result.status === "fulfilled")).toBe(true);
    expect(server.requests).toHaveLength(accounts.length + 1);
    const limitedAt = server.requests[3]?.at ?? 0;
    // Requests already in flight when the 429 came back may land just after it; nothing new starts for ~1 s.
    const started = server.requests.slice(4).filter((request) => request.at - limitedAt > 100);
    expect(started.length).toBeGreaterThan(0);
    for (const request of started) expect(request.at - limitedAt).toBeGreaterThanOrEqual(950);
  });

  it("gives up on an input after maxRateLimitRetries", async () => {
    const limited = new RefoldRateLimitError("slow down", { status: 429, retryAfterMs: 1 });
    let calls = 0;
    const results = await runBulk(
      ["only"],
      () => {
        calls++;
        return Promise.reject(limited);
      },
      { maxRateLimitRetries: 2 },
    );
    expect(calls).toBe(3);
    expect(results).toEqual([{ status: "rejected", error: limited }]);
  });

  it("settles inputs not started after the signal aborts", async () => {
    const controller = new AbortController();
    const results = await runBulk(
      [1, 2, 3, 4],
      async (n) => {
        if (n === 2) controller.abort(new Error("stop"));
        return n;
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected"]);
  });
});

import { Agent, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { pullApps, type SourceOptions } from "../../generator/source/index.js";
import { parseRetryAfter, retryDelay } from "../../generator/source/retry.js";
import { startFakeServer, type FakeOptions, type FakeServer, type Reply } from "./fake-server.js";

const KEY = "tk_http_secret_55aa66bb";
const LIST = "GET /api/v2/integration-schema/hubspot/actions";
const apps: NonNullable<FakeOptions["apps"]> = { hubspot: { actions: [{ action_id: "a" }], parameters: { a: [] } } };

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function pull(faults: Record<string, Reply[]>, extra: Partial<SourceOptions> = {}) {
  const server = await startFakeServer({ apiKey: KEY, apps, faults });
  servers.push(server);
  const base: SourceOptions = {
    baseUrl: server.url,
    auth: { apiKey: KEY },
    linkedAccountId: "a",
    rateLimit: false,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
  };
  const result = await pullApps([{ slug: "hubspot" }], { ...base, ...extra });
  expect(JSON.stringify(result)).not.toContain(KEY);
  return { server, result };
}

describe("Retry-After and backoff", () => {
  const now = Date.parse("2030-01-01T00:00:00Z");
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ["3", 3000],
    [" 0 ", 0],
    ["1.5", 1500],
    ["Tue, 01 Jan 2030 00:00:07 GMT", 7000],
    ["Mon, 31 Dec 2029 23:59:00 GMT", 0],
    ["-1", undefined],
    ["soon", undefined],
    ["", undefined],
  ])("parses Retry-After %j as %j ms", (value, want) => {
    expect(parseRetryAfter(value, now)).toBe(want);
  });

  const backoff = { retryBaseDelayMs: 100, retryMaxDelayMs: 1000, retryAfterMaxMs: 5000 };
  it.each([
    [0, undefined, 1, 99],
    [3, undefined, 1, 799],
    [10, undefined, 1, 999],
    [2, undefined, 0, 0],
    [0, "2", 0.5, 2000],
    [0, "3600", 0.5, 5000],
  ])("retry %i with Retry-After %j and random %f waits %i ms", (retry, header, random, want) => {
    expect(retryDelay(retry, header, backoff, () => random * 0.99999, now)).toBe(want);
  });

  it("retries a 429 without Retry-After on backoff", async () => {
    const { result, server } = await pull({ [LIST]: [{ status: 429 }, { status: 429 }] });
    expect(result.diagnostics).toEqual([]);
    expect(server.requests.filter((r) => `GET ${r.path}` === LIST)).toHaveLength(3);
  });

  it("caps a long Retry-After", async () => {
    const started = performance.now();
    const { result } = await pull(
      { [LIST]: [{ status: 503, headers: { "retry-after": "120" } }] },
      { retryAfterMaxMs: 50 },
    );
    expect(result.diagnostics).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("does not retry a 400", async () => {
    const { result, server } = await pull({ [LIST]: [{ status: 400, json: { message: "bad" } }] });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ status: 400, hint: expect.stringContaining("linkedAccountId") }),
    ]);
    expect(server.requests).toHaveLength(1);
  });
});

describe("transport", () => {
  it("refuses a body larger than maxResponseBytes", async () => {
    const { result } = await pull(
      { [LIST]: [{ json: [{ action_id: "x".repeat(5000) }] }] },
      { maxResponseBytes: 1000 },
    );
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "too-large", app: "hubspot" })]);
  });

  it("refuses to keep a 2xx answer that contains the key", async () => {
    const echo = { json: [{ action_id: "a", description: `use ${KEY}` }] };
    const { result } = await pull({ [LIST]: [echo] });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "secret-in-answer", app: "hubspot" })]);
    expect(result.apps).toEqual({});
  });

  it("explains a redirect", async () => {
    const { result } = await pull({ [LIST]: [{ status: 301, headers: { location: "https://elsewhere.test/" } }] });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ status: 301, hint: expect.stringContaining("redirects") }),
    ]);
  });

  it("neutralizes control characters in the server's message", async () => {
    const { result } = await pull({ [LIST]: [{ status: 418, json: { message: "tea\u001b[2J\u202eevil\r\nline" } }] });
    const message = result.diagnostics[0]!.message;
    expect(message).toContain('"tea [2J evil line"');
    expect(message).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it("uses an injected dispatcher and leaves it open", async () => {
    const server = await startFakeServer({ apiKey: KEY, apps });
    servers.push(server);
    const dispatcher = new Agent();
    try {
      const options = { baseUrl: server.url, auth: { apiKey: KEY }, linkedAccountId: "a", dispatcher };
      const result = await pullApps([{ slug: "hubspot" }], options);
      expect(result.diagnostics).toEqual([]);
      const again = await request(`${server.url}/api/v2/integration-schema/hubspot/actions`, {
        dispatcher,
        headers: { "x-api-key": KEY, linked_account_id: "a" },
      });
      expect(again.statusCode).toBe(200);
      await again.body.text();
    } finally {
      await dispatcher.close();
    }
  });

  it("returns at once for no apps", async () => {
    const result = await pullApps([], { baseUrl: "http://127.0.0.1:9", auth: { sessionToken: "t" } });
    expect(result).toEqual({ apps: {}, diagnostics: [] });
  });
});

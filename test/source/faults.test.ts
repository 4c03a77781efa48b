import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../generator/util/diagnostics.js";
import { listActions, pullApps, type SourceOptions } from "../../generator/source/index.js";
import { startFakeServer, type FakeOptions, type FakeServer, type Reply } from "./fake-server.js";

const KEY = "tk_fault_secret_9f8e7d6c";
const LIST = "GET /api/v2/integration-schema/hubspot/actions";
const ACTION = "GET /api/v2/integration-schema/hubspot/actions/create_contact";
const apps: NonNullable<FakeOptions["apps"]> = {
  hubspot: {
    actions: [{ action_id: "create_contact" }, { action_id: "get_contact" }],
    parameters: { create_contact: [{ name: "email", type: "text" }], get_contact: [{ name: "id", type: "text" }] },
  },
};

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function pullWith(faults: Record<string, Reply[]>, extra: Partial<SourceOptions> = {}, slugs = ["hubspot"]) {
  const server = await startFakeServer({ apiKey: KEY, apps, faults });
  servers.push(server);
  const result = await pullApps(
    slugs.map((slug) => ({ slug })),
    {
      baseUrl: server.url,
      auth: { apiKey: KEY },
      linkedAccountId: "acct-1",
      rateLimit: false,
      maxRetries: 2,
      timeoutMs: 2000,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      ...extra,
    },
  );
  expect(JSON.stringify(result)).not.toContain(KEY);
  return { server, result, hits: (key: string) => server.requests.filter((r) => `GET ${r.path}` === key).length };
}

const only = (diagnostics: Diagnostic[]) => {
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0]!;
};

describe("retries", () => {
  it("honours Retry-After on 429, then succeeds", async () => {
    const started = performance.now();
    const { server, result } = await pullWith({ [LIST]: [{ status: 429, headers: { "retry-after": "1" } }] });
    expect(result.diagnostics).toEqual([]);
    expect(result.apps["hubspot"]).toBeDefined();
    const [first, second] = server.requests.filter((r) => `GET ${r.path}` === LIST);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it.each([500, 502, 503, 504])("retries a %i, then succeeds", async (status) => {
    const { result, hits } = await pullWith({ [ACTION]: [{ status }, { status }] });
    expect(result.diagnostics).toEqual([]);
    expect(hits(ACTION)).toBe(3);
  });

  it("reports a persistent 5xx after maxRetries, with the envelope's message", async () => {
    const failing: Reply = {
      status: 503,
      json: {
        status_code: 503,
        http_error_type: "UNAVAILABLE",
        error_code: "DOWN",
        message: "maintenance",
        request_id: "r-9",
      },
    };
    const { result, hits, server } = await pullWith({ [ACTION]: [failing, failing, failing, failing] });
    const d = only(result.diagnostics);
    expect(d).toMatchObject({
      severity: "error",
      code: "http-status",
      status: 503,
      app: "hubspot",
      action: "create_contact",
    });
    expect(d.url).toBe(`${server.url}/api/v2/integration-schema/hubspot/actions/create_contact`);
    expect(d.message).toContain('"maintenance"');
    expect(d.message).toContain("request_id r-9");
    expect(d.message).toContain("after 3 attempts");
    expect(d.hint).toBeDefined();
    expect(hits(ACTION)).toBe(3);
    expect(result.apps).toEqual({});
  });

  it("retries a connection reset, then succeeds", async () => {
    const { result, hits } = await pullWith({ [LIST]: [{ fault: "destroy" }] });
    expect(result.diagnostics).toEqual([]);
    expect(hits(LIST)).toBe(2);
  });

  it("reports persistent connection resets as a network error", async () => {
    const reset: Reply = { fault: "destroy" };
    const { result } = await pullWith({ [LIST]: [reset, reset, reset] });
    expect(only(result.diagnostics)).toMatchObject({
      code: "network",
      app: "hubspot",
      url: expect.stringContaining("/actions"),
    });
  });

  it("reports a body cut short of its content-length as a network error", async () => {
    const cut: Reply = { fault: "truncate", partial: '[{"action_id":' };
    const { result } = await pullWith({ [LIST]: [cut, cut, cut] });
    expect(only(result.diagnostics)).toMatchObject({ code: "network", message: expect.stringContaining("body") });
  });

  it("times out a stalled body, retries, then reports a timeout", async () => {
    const stall: Reply = { fault: "stall", partial: '[{"action_id":"create_con' };
    const started = performance.now();
    const { result, hits } = await pullWith({ [LIST]: [stall, stall] }, { timeoutMs: 150, maxRetries: 1 });
    const d = only(result.diagnostics);
    expect(d).toMatchObject({ code: "timeout", app: "hubspot" });
    expect(d.message).toContain("150 ms while reading the body");
    expect(hits(LIST)).toBe(2);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("times out an answer whose headers never come", async () => {
    const { result } = await pullWith({ [ACTION]: [{ delayMs: 1000 }] }, { timeoutMs: 100, maxRetries: 0 });
    expect(only(result.diagnostics)).toMatchObject({ code: "timeout", action: "create_contact" });
  });
});

describe("bad answers", () => {
  it.each<[string, Reply, string, RegExp]>([
    [
      "an HTML page",
      { body: "<!DOCTYPE html><html><body>Login</body></html>", headers: { "content-type": "text/html" } },
      "bad-json",
      /HTML page/,
    ],
    ["an HTML page sent as JSON", { body: "<html>oops" }, "bad-json", /HTML/],
    ["truncated JSON", { body: '[{"action_id":"a"' }, "bad-json", /not valid JSON/],
    ["an empty body", { body: "" }, "bad-json", /empty/],
    [
      "an object instead of an array",
      { json: { actions: [] } },
      "bad-shape",
      /expected a JSON array of actions.*"actions"/,
    ],
    ["null", { json: null }, "bad-shape", /got null/],
  ])("reports %s on the list as a clear error, without retrying", async (_name, reply, code, message) => {
    const { result, hits, server } = await pullWith({ [LIST]: [reply] });
    const d = only(result.diagnostics);
    expect(d).toMatchObject({
      severity: "error",
      code,
      app: "hubspot",
      url: `${server.url}/api/v2/integration-schema/hubspot/actions`,
    });
    expect(d.message).toMatch(message);
    expect(d.action).toBeUndefined();
    expect(hits(LIST)).toBe(1);
  });

  it.each<[string, Reply]>([
    ["a string", { json: "parameters" }],
    ["an object without parameters", { json: { fields: [] } }],
    ["parameters that are not an array", { json: { parameters: {} } }],
  ])("reports %s as an action's schema with app, action and URL", async (_name, reply) => {
    const { result } = await pullWith({ [ACTION]: [reply] });
    expect(only(result.diagnostics)).toMatchObject({
      code: "bad-shape",
      app: "hubspot",
      action: "create_contact",
      url: expect.stringMatching(/\/actions\/create_contact$/),
    });
  });

  it("explains a 401 and never repeats the key the server echoed", async () => {
    const server = await startFakeServer({ apiKey: KEY, apps });
    servers.push(server);
    const wrong = `${KEY}_wrong`;
    const base = { baseUrl: server.url, linkedAccountId: "a", rateLimit: false as const, maxRetries: 0 };
    const result = await pullApps([{ slug: "hubspot" }], { ...base, auth: { apiKey: wrong } });
    const d = only(result.diagnostics);
    expect(d).toMatchObject({ code: "http-status", status: 401 });
    expect(d.hint).toContain("REFOLD_API_KEY");
    expect(d.hint).toContain("`tk`");
    expect(d.message).toContain("Invalid Credentials for key [redacted]");
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(JSON.stringify(result)).not.toContain(KEY);

    const thrown = await listActions("hubspot", { ...base, auth: { apiKey: wrong } }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ exitCode: 3 });
    expect(`${String((thrown as Error).message)} ${JSON.stringify(thrown)}`).not.toContain(KEY);
  });

  it("hints at the slug for a 404 app and at `list` for a 404 action, with the server's message", async () => {
    const { result } = await pullWith(
      { [ACTION]: [{ status: 404, json: { message: "Action create_contact not found" } }] },
      {},
      ["hubspot", "hubspott"],
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        app: "hubspot",
        action: "create_contact",
        status: 404,
        hint: expect.stringContaining("refold-codegen list hubspot"),
      }),
      expect.objectContaining({ app: "hubspott", status: 404, hint: expect.stringContaining('slug "hubspott"') }),
    ]);
    expect(result.diagnostics[0]!.message).toContain('"Action create_contact not found"');
    expect(result.diagnostics[1]!.message).toContain("Application app_type 'hubspott' not found");
    expect(Object.keys(result.apps)).toEqual([]);
  });

  it("reports every failure of a run at once and still pulls what it can", async () => {
    const apiKeyApps: NonNullable<FakeOptions["apps"]> = {
      ...apps,
      html: { actions: [{ action_id: "a" }], parameters: { a: [] } },
      good: { actions: [{ action_id: "a" }], parameters: { a: [] } },
    };
    const server = await startFakeServer({
      apiKey: KEY,
      apps: apiKeyApps,
      faults: {
        [ACTION]: [{ status: 500 }, { status: 500 }],
        "GET /api/v2/integration-schema/hubspot/actions/get_contact": [
          { body: "<html>", headers: { "content-type": "text/html" } },
        ],
        "GET /api/v2/integration-schema/html/actions": [
          { body: "<html>proxy</html>", headers: { "content-type": "text/html" } },
        ],
      },
    });
    servers.push(server);
    const result = await pullApps(
      ["hubspot", "html", "missing", "good"].map((slug) => ({ slug })),
      {
        baseUrl: server.url,
        auth: { apiKey: KEY },
        linkedAccountId: "a",
        rateLimit: false,
        maxRetries: 1,
        retryBaseDelayMs: 1,
      },
    );
    expect(result.diagnostics.map((d) => [d.app, d.action, d.code, d.status])).toEqual([
      ["hubspot", "create_contact", "http-status", 500],
      ["hubspot", "get_contact", "bad-json", 200],
      ["html", undefined, "bad-json", 200],
      ["missing", undefined, "http-status", 404],
    ]);
    expect(Object.keys(result.apps)).toEqual(["good"]);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});

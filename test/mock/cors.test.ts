import { afterAll, describe, expect, it } from "vitest";
import { corsPolicy, isLoopbackOrigin } from "../../generator/mock/cors.js";
import { startMock, type MockOptions, type MockServer } from "../../generator/mock/index.js";
import { CodegenError, ExitCode } from "../../generator/util/diagnostics.js";
import { call, fixtureApps, makeAgent, paths, type CallResult } from "./fixture.js";

const agent = makeAgent();
const servers: MockServer[] = [];
const start = async (options: Omit<MockOptions, "apps"> = {}) => {
  const server = await startMock({ apps: fixtureApps(), ...options });
  servers.push(server);
  return server;
};
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await agent.close();
});

const PAGE = "http://localhost:5173";
const create = paths.execute("hubspot", "create_contact");

/** A browser's preflight: no credentials, only Origin and what the real request will use. */
const preflight = (mock: MockServer, path: string, origin: string, extra: Record<string, string> = {}) =>
  call(agent, mock.url, "OPTIONS", path, {
    auth: false,
    headers: { origin, "access-control-request-method": "POST", ...extra },
  });

const corsHeaders = (res: CallResult) =>
  Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith("access-control-")));

describe("preflights", () => {
  it.each([
    ["execute", create],
    ["list", paths.list("hubspot")],
    ["schema", paths.schema("hubspot", "get_contact")],
    ["applications", paths.applications],
    ["session token", "/api/v2/public/session-token"],
    ["linked accounts", "/api/v2/public/linked-account"],
    ["an unknown path (its real answer is a readable 404)", "/nope"],
  ])("answers 204 on %s for a loopback origin, without a key, echoing the requested headers", async (_name, path) => {
    const mock = await start({ apiKey: "tk_strict" });
    const res = await preflight(mock, path, PAGE, {
      "access-control-request-headers": "X-API-Key, linked_account_id,Content-Type, x-trace-id",
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(corsHeaders(res)).toEqual({
      "access-control-allow-origin": PAGE,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "x-api-key, linked_account_id, content-type, x-trace-id",
      "access-control-max-age": "600",
    });
    expect(res.headers["vary"]).toMatch(/^Origin\b/);
    expect(res.headers["x-request-id"]).toBeUndefined();
  });

  it("lists the client's headers when the preflight names none", async () => {
    const mock = await start();
    const res = await preflight(mock, create, PAGE);
    expect(res.headers["access-control-allow-headers"]).toBe(
      "authorization, x-api-key, linked_account_id, content-type, accept, user-agent",
    );
  });

  it.each([
    "http://localhost:5173",
    "https://localhost",
    "http://app.localhost:3000",
    "http://127.0.0.1:8080",
    "http://127.44.0.9",
    "http://[::1]:4000",
  ])("allows the loopback origin %s by default", async (origin) => {
    const mock = await start();
    const res = await preflight(mock, create, origin);
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(origin);
  });

  it.each([
    "http://evil.example",
    "http://localhost.evil.example:5173",
    "http://127.0.0.1.nip.io",
    "http://10.0.0.2:5173",
    "http://[::2]",
    "null",
    "chrome-extension://abcdef",
  ])("refuses %s by default: 403 and no CORS header, so the browser blocks the call", async (origin) => {
    const mock = await start();
    const res = await preflight(mock, create, origin, { "access-control-request-headers": "x-api-key" });
    expect(res.status).toBe(403);
    expect(corsHeaders(res)).toEqual({});
    expect(res.text).toContain(`Origin ${origin} is not allowed`);
    expect(mock.preflights.at(-1)).toMatchObject({ origin, allowed: false, status: 403 });
  });

  it("is logged in `preflights`, not as an API call in `requests` or the stats, and takes no request id", async () => {
    const entries: unknown[] = [];
    const mock = await start({ log: (entry) => entries.push(entry) });
    await preflight(mock, create, PAGE, { "access-control-request-headers": "authorization, content-type" });
    await preflight(mock, create, "http://evil.example");
    const real = await call(agent, mock.url, "POST", create, { body: { email: "a@b.c" }, headers: { origin: PAGE } });
    expect(real.headers["x-request-id"]).toBe("00000000-0000-4000-8000-000000000001");
    expect(mock.requests.map((entry) => entry.method)).toEqual(["POST"]);
    expect(entries).toHaveLength(1);
    expect(mock.stats).toEqual({ requests: 1, limited: 0, faulted: 0 });
    expect(mock.preflights).toEqual([
      {
        seq: 1,
        path: create,
        url: create,
        origin: PAGE,
        requestMethod: "POST",
        requestHeaders: ["authorization", "content-type"],
        allowed: true,
        status: 204,
      },
      expect.objectContaining({ seq: 2, origin: "http://evil.example", allowed: false, status: 403 }),
    ]);
  });

  it("passes its entries to `logPreflight`, and survives a throwing callback", async () => {
    const seen: string[] = [];
    const mock = await start({
      logPreflight: (entry) => {
        seen.push(`${entry.origin} ${entry.status}`);
        throw new Error("ignored");
      },
    });
    expect((await preflight(mock, create, PAGE)).status).toBe(204);
    expect(seen).toEqual([`${PAGE} 204`]);
  });

  it("says yes to Chromium's private-network question for an allowed origin", async () => {
    const mock = await start({ corsOrigins: ["https://staging.example.test"] });
    const res = await preflight(mock, create, "https://staging.example.test", {
      "access-control-request-private-network": "true",
    });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-private-network"]).toBe("true");
  });

  it("leaves an OPTIONS that is not a preflight to the API, which refuses the method", async () => {
    const mock = await start();
    const res = await call(agent, mock.url, "OPTIONS", create, { headers: { origin: PAGE } });
    expect(res.status).toBe(405);
    expect(res.headers["access-control-allow-origin"]).toBe(PAGE);
    expect(mock.preflights).toEqual([]);
  });
});

describe("CORS headers on real answers", () => {
  const exposed = (res: CallResult) => String(res.headers["access-control-expose-headers"]).split(", ");

  it("carries the origin and exposes retry-after and x-request-id, on successes and errors alike", async () => {
    const mock = await start({ apiKey: "tk_test" });
    const answers = [
      await call(agent, mock.url, "POST", create, { body: { email: "a@b.c" }, headers: { origin: PAGE } }),
      await call(agent, mock.url, "POST", create, { body: {}, headers: { origin: PAGE } }),
      await call(agent, mock.url, "GET", paths.list("hubspot"), { auth: false, headers: { origin: PAGE } }),
      await call(agent, mock.url, "GET", paths.list("nope"), { headers: { origin: PAGE } }),
      await call(agent, mock.url, "GET", create, { headers: { origin: PAGE } }),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 400, 401, 404, 405]);
    for (const res of answers) {
      expect(res.headers["access-control-allow-origin"]).toBe(PAGE);
      expect(exposed(res)).toEqual(expect.arrayContaining(["retry-after", "x-request-id"]));
      expect(res.headers["vary"]).toBe("Origin");
      expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    }
    // The 405's Allow header is readable too.
    expect(exposed(answers[4]!)).toContain("allow");
  });

  it("carries them on the rate limiter's 429 with Retry-After", async () => {
    const mock = await start({ rateLimit: { perSecond: 0.5, burst: 1 } });
    const get = () =>
      call(agent, mock.url, "GET", paths.list("hubspot"), { headers: { origin: "http://127.0.0.1:3000" } });
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("2");
    expect(limited.headers["access-control-allow-origin"]).toBe("http://127.0.0.1:3000");
    expect(exposed(limited)).toEqual(["retry-after", "x-request-id"]);
  });

  it("carries them on injected faults: status with custom headers, HTML, malformed and stalled bodies", async () => {
    const mock = await start();
    const get = () => call(agent, mock.url, "GET", paths.list("hubspot"), { headers: { origin: PAGE } });
    mock.setFaults([
      { status: 429, retryAfter: 3, headers: { "X-Fault": "yes" }, times: 1 },
      { status: 502, html: true, times: 1 },
      { malformed: true, times: 1 },
      { stallBodyMs: 100, times: 1 },
      { nodeStatus: "Errored", times: 1 },
    ]);
    const answers = [await get(), await get(), await get(), await get(), await get()];
    expect(answers.map((res) => res.status)).toEqual([429, 502, 200, 200, 200]);
    expect(mock.requests.map((entry) => entry.fault)).toEqual(["status", "html", "malformed", "stall", "nodeStatus"]);
    for (const res of answers) {
      expect(res.headers["access-control-allow-origin"]).toBe(PAGE);
      expect(exposed(res)).toEqual(expect.arrayContaining(["retry-after", "x-request-id"]));
    }
    expect(answers[0]?.headers["retry-after"]).toBe("3");
    expect(exposed(answers[0]!)).toEqual(["retry-after", "x-request-id", "x-fault"]);
  });

  it("is left off for a refused origin and for callers without Origin, which are still answered", async () => {
    const mock = await start();
    const refused = await call(agent, mock.url, "GET", paths.list("hubspot"), {
      headers: { origin: "http://evil.example" },
    });
    const server = await call(agent, mock.url, "GET", paths.list("hubspot"));
    for (const res of [refused, server]) {
      expect(res.status).toBe(200);
      expect(corsHeaders(res)).toEqual({});
      expect(res.headers["vary"]).toBe("Origin");
    }
  });

  it("lets a page use a session token: preflight for authorization, then a bearer call", async () => {
    const mock = await start({ apiKey: "tk_server" });
    const minted = await call(agent, mock.url, "POST", "/api/v2/public/session-token", {
      headers: { "x-api-key": "tk_server" },
      body: { linked_account_id: "customer-42" },
    });
    const { token } = minted.json() as { token: string };
    const asked = await preflight(mock, create, PAGE, {
      "access-control-request-headers": "authorization, content-type",
    });
    expect(asked.headers["access-control-allow-headers"]).toBe("authorization, content-type");
    const res = await call(agent, mock.url, "POST", create, {
      auth: false,
      headers: { origin: PAGE, authorization: `Bearer ${token}` },
      body: { email: "a@b.c" },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ node_status: "Success", data: { account: "customer-42" } });
    expect(res.headers["access-control-allow-origin"]).toBe(PAGE);
  });
});

describe("preflights leave faults, the rate limit and latency alone", () => {
  it("uses no rate-limit token, and is answered when the bucket is empty", async () => {
    const mock = await start({ rateLimit: { perSecond: 0.01, burst: 1 } });
    for (let i = 0; i < 5; i++) expect((await preflight(mock, create, PAGE)).status).toBe(204);
    const first = await call(agent, mock.url, "GET", paths.list("hubspot"));
    expect(first.status).toBe(200);
    expect((await call(agent, mock.url, "GET", paths.list("hubspot"))).status).toBe(429);
    expect((await preflight(mock, create, PAGE)).status).toBe(204);
    expect(mock.stats).toEqual({ requests: 2, limited: 1, faulted: 0 });
  });

  it("is not delayed, broken or dropped by latency or a matching rule, and counts as no fault", async () => {
    const mock = await start({ latencyMs: 2_000 });
    mock.setFaults([{ method: "OPTIONS", destroy: true }, { delayMs: 2_000 }]);
    const started = performance.now();
    for (let i = 0; i < 3; i++) expect((await preflight(mock, paths.list("hubspot"), PAGE)).status).toBe(204);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(mock.stats).toEqual({ requests: 0, limited: 0, faulted: 0 });
  });

  it("keeps a fault's single use for the real call that follows the preflight", async () => {
    const mock = await start();
    mock.setFaults([{ status: 503, times: 1 }]);
    expect((await preflight(mock, paths.list("hubspot"), PAGE)).status).toBe(204);
    const faulted = await call(agent, mock.url, "GET", paths.list("hubspot"), { headers: { origin: PAGE } });
    expect(faulted.status).toBe(503);
    expect(faulted.headers["access-control-allow-origin"]).toBe(PAGE);
    expect((await call(agent, mock.url, "GET", paths.list("hubspot"))).status).toBe(200);
    expect(mock.stats).toEqual({ requests: 2, limited: 0, faulted: 1 });
  });
});

describe("allowed origins", () => {
  const allowedBy = async (corsOrigins: string[], origins: string[]) => {
    const mock = await start({ corsOrigins });
    const statuses = [];
    for (const origin of origins) statuses.push((await preflight(mock, create, origin)).status);
    return statuses;
  };

  it("replaces the loopback default with the given list, compared as browsers serialize origins", async () => {
    expect(
      await allowedBy(
        ["https://App.Example.test:443/", "http://dev.example.test:8080"],
        ["https://app.example.test", "http://dev.example.test:8080", "http://dev.example.test:8081", PAGE],
      ),
    ).toEqual([204, 204, 403, 403]);
  });

  it("keeps loopback origins with `loopback` in the list", async () => {
    expect(
      await allowedBy(
        ["loopback", "https://app.example.test"],
        [PAGE, "https://app.example.test", "http://evil.example"],
      ),
    ).toEqual([204, 204, 403]);
  });

  it("allows any origin with `*`, still echoing it (never a literal *)", async () => {
    const mock = await start({ corsOrigins: ["*"] });
    for (const origin of ["http://evil.example", "null"]) {
      const res = await preflight(mock, create, origin);
      expect(res.status).toBe(204);
      expect(res.headers["access-control-allow-origin"]).toBe(origin);
    }
  });

  it("allows none with an empty list", async () => {
    expect(await allowedBy([], [PAGE, "http://127.0.0.1"])).toEqual([403, 403]);
  });

  it("rejects what is not an origin with a usage error naming each entry", async () => {
    const attempt = startMock({
      apps: fixtureApps(),
      corsOrigins: ["localhost:5173", "http://a.test/path", "", "http://ok.test"],
    });
    await expect(attempt).rejects.toThrow(CodegenError);
    await expect(attempt).rejects.toMatchObject({ exitCode: ExitCode.usage });
    await expect(attempt).rejects.toThrow(/"localhost:5173", "http:\/\/a.test\/path", "" are not an origin/);
  });

  it("describes itself for the command's start line", () => {
    expect(corsPolicy(undefined).description).toBe("loopback origins");
    expect(corsPolicy(["*", PAGE]).description).toBe("any origin");
    expect(corsPolicy(["loopback", "https://a.test:8443"]).description).toBe("loopback origins, https://a.test:8443");
    expect(corsPolicy([]).description).toBe("no origin");
  });

  it.each([
    ["http://localhost", true],
    ["http://LOCALHOST:1", true],
    ["https://a.b.localhost", true],
    ["http://127.255.255.254:9", true],
    ["http://[::1]", true],
    ["http://[0:0:0:0:0:0:0:1]:80", true],
    ["ws://localhost", false],
    ["http://localhost.example", false],
    ["http://128.0.0.1", false],
    ["http://[::ffff:8.8.8.8]", false],
    ["not an origin", false],
  ])("isLoopbackOrigin(%j) is %s", (origin, want) => {
    expect(isLoopbackOrigin(origin)).toBe(want);
  });
});

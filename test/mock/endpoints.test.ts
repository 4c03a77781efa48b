import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_TIME, startMock, type MockServer, type RequestLogEntry } from "../../generator/mock/index.js";
import { call, fixtureApps, makeAgent, paths } from "./fixture.js";

const agent = makeAgent();
const logged: RequestLogEntry[] = [];
let mock: MockServer;

beforeAll(async () => {
  mock = await startMock({ apps: fixtureApps(), sessionTokens: ["sess-ok"], log: (entry) => logged.push(entry) });
});
afterAll(async () => {
  await mock.close();
  await agent.close();
});

const get = (path: string, options?: Parameters<typeof call>[4]) => call(agent, mock.url, "GET", path, options);

describe("serving the stored payloads", () => {
  it("listens on loopback", () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
  });

  it.each(["hubspot", "google-sheets"])("lists %s's actions exactly as stored", async (slug) => {
    const res = await get(paths.list(slug));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.text).toBe(JSON.stringify(fixtureApps()[slug]?.actions));
  });

  it.each([
    ["hubspot", "create_contact"],
    ["hubspot", "get_contact"], // stored as { parameters: [...] }
    ["hubspot", "broken_action"], // stored as a string
    ["hubspot", "files/upload"], // %2F in the path stays inside one segment
    ["google-sheets", "__proto__"],
  ])("answers %s %s's parameters byte for byte", async (slug, action) => {
    const res = await get(paths.schema(slug, action));
    expect(res.status).toBe(200);
    const stored = Object.entries(fixtureApps()[slug]?.parameters ?? {}).find(([id]) => id === action)?.[1];
    expect(res.text).toBe(JSON.stringify(stored));
  });

  it("lists the served apps as connected for the caller's linked account, in Refold's shape", async () => {
    const res = await get(paths.applications);
    expect(res.status).toBe(200);
    const connected = (slug: string, name: string) => ({
      slug,
      name,
      auth_type: "oauth2",
      tags: [],
      connected: true,
      reauth_required: false,
      connected_accounts: [
        { identifier: expect.any(String), connectedAt: MOCK_TIME, status: "active", auth_type: "oauth2" },
      ],
    });
    expect(res.json()).toEqual([connected("google-sheets", "Google Sheets"), connected("hubspot", "Hubspot")]);
  });

  it("reports what normalizing the stored parameters found", () => {
    const codes = mock.diagnostics.map((d) => `${d.action}:${d.code}`);
    expect(codes).toContain("create_contact:unknown-type");
    expect(codes).toContain("broken_action:bad-parameters");
  });
});

describe("errors in Refold's envelope", () => {
  it.each([
    ["unknown app", "GET", paths.list("nope"), 404, "Application app_type 'nope' not found"],
    ["prototype name as app", "GET", paths.list("toString"), 404, "Application app_type 'toString' not found"],
    [
      "unknown action",
      "GET",
      paths.schema("hubspot", "no_such_action"),
      404,
      "Action no_such_action not found in Application hubspot",
    ],
    [
      "prototype name as action",
      "POST",
      paths.execute("hubspot", "constructor"),
      404,
      "Action constructor not found in Application hubspot",
    ],
    ["unknown path", "GET", "/api/v2/nothing/here", 404, "Not found: /api/v2/nothing/here"],
    ["trailing segment", "GET", `${paths.execute("hubspot", "get_contact")}/more`, 404, undefined],
    ["POST on the list", "POST", paths.list("hubspot"), 405, "Method POST not allowed; use GET"],
    ["DELETE on a schema", "DELETE", paths.schema("hubspot", "get_contact"), 405, undefined],
    ["GET on execute", "GET", paths.execute("hubspot", "get_contact"), 405, "Method GET not allowed; use POST"],
    ["POST on applications", "POST", paths.applications, 405, undefined],
    ["bad percent-encoding", "GET", "/api/v2/integration-schema/%E0%A4%A/actions", 400, "Malformed URL encoding"],
  ])("%s", async (_name, method, path, status, message) => {
    const res = await call(agent, mock.url, method, path);
    expect(res.status).toBe(status);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(["error_code", "http_error_type", "message", "request_id", "status_code"]);
    expect(body.status_code).toBe(status);
    expect(body.request_id).toBe(res.headers["x-request-id"]);
    if (message !== undefined) expect(body.message).toBe(message);
    if (status === 405)
      expect(res.headers["allow"]).toBe(method === "POST" ? "GET" : method === "GET" ? "POST" : "GET");
  });

  it("uses published types and codes", async () => {
    const res = await get(paths.list("nope"));
    expect(res.json()).toMatchObject({ http_error_type: "NOT_FOUND", error_code: "SERVER_ERROR" });
  });
});

describe("authentication", () => {
  const list = paths.list("hubspot");
  it.each([
    ["no credentials", {}, 401, "Invalid Credentials"],
    ["an empty key", { "x-api-key": "", linked_account_id: "a" }, 401, "Invalid Credentials"],
    ["a key without linked_account_id", { "x-api-key": "k" }, 400, "Missing required header 'linked_account_id'"],
    ["a blank linked_account_id", { "x-api-key": "k", linked_account_id: " " }, 400, undefined],
    ["an unknown session token", { authorization: "Bearer sess-bad" }, 401, "Invalid session token"],
    ["an empty bearer", { authorization: "Bearer " }, 401, "Invalid session token"],
    ["a non-bearer scheme", { authorization: "Basic sess-ok" }, 401, "Invalid session token"],
    [
      "a key and a bad token (the token decides)",
      { "x-api-key": "k", linked_account_id: "a", authorization: "Bearer x" },
      401,
      undefined,
    ],
    ["any key with an account", { "x-api-key": "anything", linked_account_id: "a" }, 200, undefined],
    ["a known session token", { authorization: "Bearer sess-ok" }, 200, undefined],
    ["a known token, any scheme case", { authorization: "bearer sess-ok" }, 200, undefined],
  ])("%s", async (_name, headers, status, message) => {
    const res = await get(list, { auth: false, headers });
    expect(res.status).toBe(status);
    if (message !== undefined) expect(res.json().message).toBe(message);
  });

  it("checks the key against apiKey when one is set", async () => {
    const strict = await startMock({ apps: fixtureApps(), apiKey: "tk_right" });
    try {
      const wrong = await call(agent, strict.url, "GET", paths.list("hubspot"));
      expect(wrong.status).toBe(401);
      expect(wrong.json()).toMatchObject({ http_error_type: "UNAUTHORIZED", message: "Invalid Credentials" });
      const right = await call(agent, strict.url, "GET", paths.list("hubspot"), {
        headers: { "x-api-key": "tk_right" },
      });
      expect(right.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe("request log", () => {
  it("records method, decoded path, redacted credentials and the parsed body", async () => {
    await call(agent, mock.url, "POST", paths.execute("google-sheets", "append_row"), {
      headers: { "x-trace": "t1" },
      body: { spreadsheet_id: "s1", values: [[1, 2]] },
    });
    await get(paths.schema("hubspot", "files/upload"), { auth: false, headers: { authorization: "Bearer sess-ok" } });
    const [execute, schema] = mock.requests.slice(-2);
    expect(execute).toMatchObject({
      method: "POST",
      path: "/api/v2/integration-schema/google-sheets/actions/append_row/execute",
      body: { spreadsheet_id: "s1", values: [[1, 2]] },
      route: { kind: "execute", app: "google-sheets", action: "append_row" },
      status: 200,
    });
    expect(execute?.headers).toMatchObject({ "x-api-key": "[redacted]", linked_account_id: "acct-1", "x-trace": "t1" });
    expect(schema?.headers["authorization"]).toBe("[redacted]");
    expect(schema?.url).toBe("/api/v2/integration-schema/hubspot/actions/files%2Fupload");
    expect(schema?.route).toEqual({ kind: "schema", app: "hubspot", action: "files/upload" });
    expect(JSON.stringify(mock.requests)).not.toMatch(/tk_test|sess-ok/);
    // The callback sees each entry once, after the answer.
    expect(logged.at(-1)).toBe(schema);
    expect(mock.stats.requests).toBe(mock.requests.length);
  });
});

describe("robustness", () => {
  it("answers 413 to a body over 10 MiB", async () => {
    const res = await call(agent, mock.url, "POST", paths.execute("hubspot", "get_contact"), {
      body: `{"limit":"${"x".repeat(10 * 1024 * 1024)}"}`,
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ status_code: 413, error_code: "PAYLOAD_TOO_LARGE" });
  });

  it("keeps answering when the log callback throws", async () => {
    const noisy = await startMock({
      apps: fixtureApps(),
      log: () => {
        throw new Error("log failed");
      },
    });
    try {
      expect((await call(agent, noisy.url, "GET", paths.list("hubspot"))).status).toBe(200);
      expect((await call(agent, noisy.url, "GET", paths.list("hubspot"))).status).toBe(200);
    } finally {
      await noisy.close();
    }
  });

  it("refuses a port in use with the listen error", async () => {
    await expect(startMock({ apps: {}, port: mock.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it("refuses apps it cannot serve", async () => {
    await expect(startMock({ apps: { bad: { parameters: {} } as never } })).rejects.toThrow(
      /app "bad" has no "actions" array/,
    );
  });
});

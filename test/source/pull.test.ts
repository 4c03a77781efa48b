import { afterEach, describe, expect, it } from "vitest";
import { listActions, pullApps, readActionList, type SourceOptions } from "../../generator/source/index.js";
import { startFakeServer, type FakeOptions, type FakeServer } from "./fake-server.js";

const KEY = "tk_live_secret_0123456789";
const TOKEN = "sess_secret_abcdef";

const contacts = [
  { name: "HTTP Request", action_id: "httprequest", description: "raw passthrough", tag: "v2" },
  { name: "Create Contact", action_id: "create_contact", description: "Creates", extra: { nested: [1, 2] } },
  { name: "Send", action_id: "send/msg?x=1 #y", description: "needs encoding" },
];
const contactParams = {
  httprequest: [{ name: "url", label: "URL", required: true, type: "text" }],
  create_contact: { parameters: [{ name: "email", label: "Email", required: true, type: "email", weird: null }] },
  "send/msg?x=1 #y": [],
};

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: FakeOptions): Promise<FakeServer> {
  const server = await startFakeServer(options);
  servers.push(server);
  return server;
}

function options(server: FakeServer, extra: Partial<SourceOptions> = {}): SourceOptions {
  return {
    baseUrl: server.url,
    auth: { apiKey: KEY },
    linkedAccountId: "acct-1",
    rateLimit: false,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    ...extra,
  };
}

describe("pullApps: happy path", () => {
  it("pulls lists and schemas raw with API key auth, encoding the slug and action ids", async () => {
    const server = await serve({
      apiKey: KEY,
      apps: { "google-sheets": { actions: contacts, parameters: contactParams } },
    });
    const result = await pullApps([{ slug: "google-sheets" }], options(server));

    expect(result.diagnostics).toEqual([]);
    expect(result.apps["google-sheets"]).toEqual({ actions: contacts, parameters: contactParams });
    // Kept exactly as returned: the `{ parameters }` variant and unknown keys survive.
    expect(result.apps["google-sheets"]!.parameters["create_contact"]).toEqual(contactParams.create_contact);

    const paths = server.requests.map((r) => r.rawPath).sort();
    expect(paths).toEqual(
      [
        "/api/v2/integration-schema/google-sheets/actions",
        "/api/v2/integration-schema/google-sheets/actions/create_contact",
        "/api/v2/integration-schema/google-sheets/actions/httprequest",
        `/api/v2/integration-schema/google-sheets/actions/${encodeURIComponent("send/msg?x=1 #y")}`,
      ].sort(),
    );
    for (const request of server.requests) {
      expect(request.method).toBe("GET");
      expect(request.headers["x-api-key"]).toBe(KEY);
      expect(request.headers["linked_account_id"]).toBe("acct-1");
      expect(request.headers["accept"]).toBe("application/json");
      expect(request.headers["authorization"]).toBeUndefined();
    }
  });

  it("sends a session token as a bearer token instead of the key headers", async () => {
    const server = await serve({
      sessionToken: TOKEN,
      apps: { hubspot: { actions: contacts, parameters: contactParams } },
    });
    const result = await pullApps([{ slug: "hubspot" }], options(server, { auth: { sessionToken: TOKEN } }));

    expect(result.diagnostics).toEqual([]);
    expect(Object.keys(result.apps["hubspot"]!.parameters).sort()).toEqual(Object.keys(contactParams).sort());
    for (const request of server.requests) {
      expect(request.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
      expect(request.headers["x-api-key"]).toBeUndefined();
      expect(request.headers["linked_account_id"]).toBeUndefined();
    }
  });

  it("accepts a base URL with a path prefix and a trailing slash", async () => {
    const server = await serve({ apiKey: KEY, apps: { hubspot: { actions: [], parameters: {} } } });
    const result = await pullApps([{ slug: "hubspot" }], options(server, { baseUrl: `${server.url}/` }));
    expect(result.apps).toEqual({ hubspot: { actions: [], parameters: {} } });
    expect(server.requests[0]!.rawPath).toBe("/api/v2/integration-schema/hubspot/actions");
  });

  it("keeps hostile action ids as plain own keys and sends them exactly", async () => {
    const actions = [{ action_id: "__proto__" }, { action_id: "constructor" }, { action_id: ".." }];
    // JSON.parse makes "__proto__" an own key, as the server's JSON would.
    const parameters = JSON.parse('{"__proto__":[{"name":"a"}],"constructor":[],"..":[{"name":"dots"}]}');
    const apps = { hubspot: { actions, parameters } };
    const server = await serve({ apiKey: KEY, apps });
    const result = await pullApps([{ slug: "hubspot" }], options(server));

    expect(result.diagnostics).toEqual([]);
    const pulled = result.apps["hubspot"]!.parameters;
    expect(Object.keys(pulled).sort()).toEqual(["..", "__proto__", "constructor"]);
    expect(Object.getPrototypeOf(pulled)).toBe(Object.prototype);
    expect(pulled["__proto__"]).toEqual([{ name: "a" }]);
    expect(server.requests.map((r) => r.rawPath)).toContain("/api/v2/integration-schema/hubspot/actions/%2E%2E");
  });

  it("reports progress per app", async () => {
    const server = await serve({ apiKey: KEY, apps: { hubspot: { actions: contacts, parameters: contactParams } } });
    const events: unknown[] = [];
    await pullApps([{ slug: "hubspot" }], options(server, { onProgress: (e) => events.push(e) }));
    expect(events[0]).toEqual({ app: "hubspot", done: 0, total: 3 });
    expect(events.at(-1)).toMatchObject({ app: "hubspot", done: 3, total: 3 });
    expect(events).toHaveLength(4);
  });
});

describe("pullApps: selection and list checks", () => {
  const apps = { hubspot: { actions: contacts, parameters: contactParams } };

  it("applies include then exclude and fetches only the selected actions", async () => {
    const server = await serve({ apiKey: KEY, apps });
    const result = await pullApps(
      [{ slug: "hubspot", include: ["httprequest", "create_contact"], exclude: ["httprequest"] }],
      options(server),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.apps["hubspot"]!.actions.map((a) => a.action_id)).toEqual(["create_contact"]);
    expect(Object.keys(result.apps["hubspot"]!.parameters)).toEqual(["create_contact"]);
    expect(server.requests).toHaveLength(2);
  });

  it("reports an unknown include as an error with a hint to list, and an unknown exclude as a warning", async () => {
    const server = await serve({ apiKey: KEY, apps });
    const result = await pullApps(
      [{ slug: "hubspot", include: ["create_contact", "no_such"], exclude: ["gone"] }],
      options(server),
    );
    expect(result.apps).toEqual({});
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "unknown-action", app: "hubspot", action: "no_such" }),
      expect.objectContaining({ severity: "warning", code: "unknown-action", app: "hubspot", action: "gone" }),
    ]);
    expect(result.diagnostics[0]!.hint).toContain("refold-codegen list hubspot");
  });

  it("keeps the first of duplicate action ids with a warning, and names the index of an entry without action_id", async () => {
    const actions = [
      { action_id: "a", n: 1 },
      { action_id: "a", n: 2 },
      { name: "nameless" },
      "oops",
      { action_id: "b" },
    ];
    const server = await serve({ apiKey: KEY, apps: { x: { actions, parameters: { a: [], b: [] } } } });
    const result = await pullApps([{ slug: "x" }], options(server));

    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", code: "duplicate-action", action: "a" }),
      expect.objectContaining({
        severity: "error",
        code: "bad-shape",
        app: "x",
        message: expect.stringContaining("#2"),
      }),
      expect.objectContaining({
        severity: "error",
        code: "bad-shape",
        app: "x",
        message: expect.stringContaining("#3"),
      }),
    ]);
    expect(result.diagnostics[1]!.url).toBe(`${server.url}/api/v2/integration-schema/x/actions`);
    // The valid actions were still fetched, to report any further problem in the same run.
    expect(server.requests.map((r) => r.path).sort()).toContain("/api/v2/integration-schema/x/actions/b");
    expect(result.apps).toEqual({});
  });

  it("pulls several apps and keeps the good ones when one fails", async () => {
    const server = await serve({
      apiKey: KEY,
      apps: { hubspot: apps.hubspot, salesforce: { actions: [], parameters: {} } },
    });
    const result = await pullApps([{ slug: "hubspot" }, { slug: "nope" }, { slug: "salesforce" }], options(server));
    expect(Object.keys(result.apps)).toEqual(["hubspot", "salesforce"]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "http-status", app: "nope", status: 404 }),
    ]);
  });
});

describe("listActions", () => {
  it("returns the list as returned", async () => {
    const server = await serve({ apiKey: KEY, apps: { hubspot: { actions: contacts } } });
    expect(await listActions("hubspot", options(server))).toEqual(contacts);
    expect(server.requests).toHaveLength(1);
  });

  it("throws a network CodegenError with the diagnostics, and readActionList returns them", async () => {
    const server = await serve({ apiKey: KEY, apps: {} });
    await expect(listActions("nope", options(server))).rejects.toMatchObject({
      exitCode: 3,
      diagnostics: [expect.objectContaining({ code: "http-status", status: 404, app: "nope" })],
    });
    const read = await readActionList("nope", options(server));
    expect(read.actions).toEqual([]);
    expect(read.diagnostics[0]!.hint).toContain('check the app slug "nope"');
  });
});

describe("options", () => {
  it.each([
    ["no linked account with an API key", { linkedAccountId: undefined }, "linkedAccountId"],
    ["a non-URL base", { baseUrl: "not a url" }, "baseUrl"],
    ["credentials in the base URL", { baseUrl: "https://u:p@example.test" }, "credentials"],
    ["a key with a newline", { auth: { apiKey: `${KEY}\n` } }, "whitespace"],
    ["zero concurrency", { concurrency: 0 }, "concurrency"],
    ["a bad rate limit", { rateLimit: { perSecond: 0, burst: 5 } }, "perSecond"],
  ])("rejects %s with a usage error that never shows the key", async (_name, patch, mention) => {
    const base: SourceOptions = { baseUrl: "http://127.0.0.1:1", auth: { apiKey: KEY }, linkedAccountId: "a" };
    const bad = { ...base, ...patch } as SourceOptions;
    const error = await pullApps([{ slug: "x" }], bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CodegenError", exitCode: 2 });
    const text = JSON.stringify(error) + String((error as Error).message);
    expect(text).toContain(mention);
    expect(text).not.toContain(KEY);
  });
});

import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import {
  RefoldClient,
  RefoldConfigError,
  RefoldLocalValidationError,
  RefoldReadOnlyError,
  type RefoldClientOptions,
} from "../../templates/runtime/index.js";
import { ACCOUNT, API_KEY, SESSION_TOKEN, createContact, getContact, useTestServer } from "./fixtures.js";

const { server, client } = useTestServer();
const settle = (promise: Promise<unknown>): Promise<unknown> => promise.catch((error: unknown) => error);

describe("client options", () => {
  it.each<[string, RefoldClientOptions, RegExp]>([
    ["no credentials", {}, /apiKey.*sessionToken/],
    ["an undefined key (unset env var)", { apiKey: undefined }, /apiKey.*sessionToken/],
    ["an empty key", { apiKey: "" }, /apiKey must be a non-empty string/],
    ["both credentials", { apiKey: API_KEY, sessionToken: SESSION_TOKEN }, /not both/],
    ["a bad baseUrl", { apiKey: API_KEY, baseUrl: "not a url" }, /baseUrl/],
    ["a bad timeout", { apiKey: API_KEY, timeoutMs: -1 }, /timeoutMs/],
    ["fractional retries", { apiKey: API_KEY, maxRetries: 1.5 }, /maxRetries/],
    ["a misspelt option", { apiKey: API_KEY, ...{ linkedAccountID: "x" } }, /unknown option "linkedAccountID"/],
    [
      "both transports",
      { apiKey: API_KEY, fetch: globalThis.fetch, dispatcher: new Agent() },
      /either dispatcher or fetch/,
    ],
    [
      "a fetch that is not a function",
      { apiKey: API_KEY, ...({ fetch: "fetch" } as object) },
      /fetch must be a function/,
    ],
    ["a dispatcher without request", { apiKey: API_KEY, ...({ dispatcher: {} } as object) }, /undici Dispatcher/],
    [
      "a header value with a line break",
      { apiKey: API_KEY, headers: { "x-trace": "a\r\nx-api-key: evil" } },
      /line breaks/,
    ],
    [
      "a header name that is not a token",
      { apiKey: API_KEY, headers: { "x trace": "a" } },
      /not a valid HTTP header name/,
    ],
  ])("refuse %s", (_name, options, message) => {
    const attempt = () => new RefoldClient(options);
    expect(attempt).toThrow(RefoldConfigError);
    expect(attempt).toThrow(message);
  });

  it("never echo a credential in a config error", () => {
    const error = settleSync(() => new RefoldClient({ apiKey: `${API_KEY}\n`, sessionToken: SESSION_TOKEN }));
    expect(JSON.stringify(error) + String(error)).not.toContain(API_KEY);
  });

  it("refuse to run in a browser unless dangerouslyAllowBrowser", () => {
    const scope = globalThis as { window?: unknown; document?: unknown };
    scope.window = {};
    scope.document = {};
    try {
      expect(() => new RefoldClient({ apiKey: API_KEY })).toThrow(/browser/);
      expect(() => new RefoldClient({ apiKey: API_KEY, dangerouslyAllowBrowser: true })).not.toThrow();
      // The backend-to-browser flow: a session token, scoped to one linked account, is what a browser holds.
      expect(() => new RefoldClient({ sessionToken: SESSION_TOKEN })).not.toThrow();
    } finally {
      delete scope.window;
      delete scope.document;
    }
  });

  it("refuse a bad per-call timeout before sending", async () => {
    const error = await settle(client().run(getContact, {}, { timeoutMs: 0 }));
    expect(error).toBeInstanceOf(RefoldConfigError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("readOnly", () => {
  it("refuses write actions locally, naming the action, and lets reads through", async () => {
    const refold = client({ readOnly: true });
    const error = await settle(refold.run(createContact, { email: "a@b.c" }));
    expect(error).toBeInstanceOf(RefoldReadOnlyError);
    expect(error).toMatchObject({ app: "hubspot", action: "create_contact", attempts: 0 });
    expect((error as Error).message).toContain("hubspot.create_contact");
    expect(server.requests).toHaveLength(0);
    await refold.run(getContact, {});
    expect(server.requests).toHaveLength(1);
  });
});

describe("local validation", () => {
  const table: [string, unknown, string, RegExp][] = [
    ["a missing required field", { firstname: "Jane" }, "email", /is required/],
    ["null for a required field", { email: null }, "email", /is required/],
    ["a number for a string", { email: 42 }, "email", /must be a string/],
    ["a string for a number", { email: "a", age: "42" }, "age", /must be a number/],
    ["NaN for a number", { email: "a", age: Number.NaN }, "age", /must be a number/],
    ["a string for a boolean", { email: "a", subscribed: "yes" }, "subscribed", /must be a boolean/],
    ["a value outside a select", { email: "a", lifecyclestage: "vip" }, "lifecyclestage", /one of: "lead", "customer"/],
    ["a scalar for a multi-select", { email: "a", tags: "a" }, "tags", /must be an array/],
    ["a bad multi-select item", { email: "a", tags: ["a", "z"] }, "tags[1]", /one of/],
    ["an array for an object", { email: "a", address: [] }, "address", /must be an object/],
    ["a missing nested field", { email: "a", address: { zip: "1" } }, "address.city", /is required/],
    ["an unknown nested field", { email: "a", address: { city: "x", cty: "y" } }, "address.cty", /not a parameter/],
    ["a bad array item", { email: "a", scores: [1, "2"] }, "scores[1]", /must be a number/],
    ["a function in json", { email: "a", extra: { f: () => 1 } }, "extra.f", /must be JSON/],
    ["a misspelt field", { email: "a", fristname: "J" }, "fristname", /not a parameter/],
    ["params that are not an object", "email=a", "", /plain object/],
  ];

  it.each(table)("rejects %s without sending", async (_name, params, field, reason) => {
    const error = await settle(client().run(createContact, params as object));
    expect(error).toBeInstanceOf(RefoldLocalValidationError);
    expect(error).toMatchObject({ field, app: "hubspot", action: "create_contact", attempts: 0 });
    expect((error as RefoldLocalValidationError).reason).toMatch(reason);
    if (field) expect((error as Error).message).toContain(`"${field}"`);
    expect(server.requests).toHaveLength(0);
  });

  it("accepts a complete, valid call", async () => {
    const params = {
      email: "a@b.c",
      age: 3,
      subscribed: false,
      lifecyclestage: "lead",
      tags: ["a", "b"],
      address: { city: "Paris" },
      scores: [1, 2],
      extra: { any: [1, "x", null, { deep: true }] },
      firstname: undefined,
    };
    await client().run(createContact, params);
    expect(server.requests[0]?.json).toEqual({ ...params, firstname: undefined });
  });

  it("can be switched off", async () => {
    await client({ validate: false }).run(createContact, { fristname: "J" });
    expect(server.requests[0]?.json).toEqual({ fristname: "J" });
  });

  it("still refuses what cannot be serialized when switched off", async () => {
    const error = await settle(client({ validate: false }).run(createContact, { email: "a", big: 1n }));
    expect(error).toBeInstanceOf(RefoldLocalValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("logger and hooks", () => {
  it("only ever see redacted secrets", async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => lines.push(JSON.stringify(args));
    const logger = { debug: record, info: record, warn: record, error: record };
    server.script({ status: 503, json: {} });
    const refold = client({
      logger,
      onRequest: (event) => record("request", event),
      onResponse: (event) => record("response", event),
      headers: { "x-custom-token": "custom-secret-value", "x-trace": "visible" },
    });
    await refold.run(getContact, {});
    const output = lines.join("\n");
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(ACCOUNT);
    expect(output).not.toContain("custom-secret-value");
    expect(output).toContain('"x-api-key":"pk_***"');
    expect(output).toContain('"x-trace":"visible"');
    expect(output).toContain("refold: retrying");
    expect(lines.filter((line) => line.startsWith('["request"'))).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('["response"'))).toHaveLength(2);
  });

  it("mask a bearer token and show the linked account only when opted in", async () => {
    const seen: Record<string, string>[] = [];
    const refold = client({
      apiKey: undefined,
      sessionToken: SESSION_TOKEN,
      includeLinkedAccountId: true,
      onRequest: (event) => seen.push({ ...event.headers }),
    });
    await refold.run(getContact, {});
    expect(seen[0]).toMatchObject({ authorization: "Bearer ***", linked_account_id: ACCOUNT });
  });

  it("cannot break a call by throwing", async () => {
    const refold = client({
      onRequest: () => {
        throw new Error("hook bug");
      },
    });
    await expect(refold.run(getContact, {})).resolves.toBeDefined();
  });

  it("cannot break a retry by throwing: a logger whose every method throws still gets the call retried", async () => {
    const fail = (): never => {
      throw new Error("logger bug");
    };
    server.script({ status: 503, json: {} });
    const refold = client({ logger: { debug: fail, info: fail, warn: fail, error: fail } });
    await expect(refold.run(getContact, {})).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });
});

function settleSync(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return error;
  }
}

/** Action specs and secrets shared by the runtime tests. */

import { afterAll, afterEach, beforeAll } from "vitest";
import { RefoldClient, type RefoldClientOptions } from "../../templates/runtime/index.js";
import type { ActionSpec } from "../../templates/runtime/types.js";
import { TestServer } from "./server.js";

export const API_KEY = "pk_live_0123456789abcdefSECRETKEY";
export const SESSION_TOKEN = "sess_ABCDEFGHIJKLMNOPQRSTUVWXYZsecret";
export const ACCOUNT = "demo-user-1";

/** A write action with one field of every kind. */
export const createContact: ActionSpec = {
  app: "hubspot",
  action: "create_contact",
  kind: "write",
  fields: [
    { name: "email", type: "string", required: true },
    { name: "firstname", type: "string" },
    { name: "age", type: "number" },
    { name: "subscribed", type: "boolean" },
    { name: "lifecyclestage", type: "string", values: ["lead", "customer"] },
    { name: "tags", type: "string", values: ["a", "b"], multiple: true },
    {
      name: "address",
      type: "object",
      fields: [
        { name: "city", type: "string", required: true },
        { name: "zip", type: "string" },
      ],
    },
    { name: "scores", type: "array", items: { name: "", type: "number" } },
    { name: "extra", type: "json" },
  ],
};

/** A read action. */
export const getContact: ActionSpec = {
  app: "hubspot",
  action: "get_contact",
  kind: "read",
  fields: [{ name: "limit", type: "string" }],
};

/** A raw passthrough: no declared fields, so any key is accepted. */
export const httpRequest: ActionSpec = { app: "hubspot", action: "httprequest", kind: "write", fields: [] };

/**
 * The transport the runtime tests run over: undici (Node's default), or `fetch` when the vitest project
 * "runtime-fetch" sets REFOLD_TEST_TRANSPORT, so that every runtime test holds the fetch transport (which
 * Bun, Deno, workers and browsers use) to the same rules, here on Node's fetch.
 */
const overFetch = process.env["REFOLD_TEST_TRANSPORT"] === "fetch";

/** A client against `baseUrl` with tiny retry delays so tests stay fast. */
export function testClient(baseUrl: string, options: Partial<RefoldClientOptions> = {}): RefoldClient {
  const transport = overFetch && !("dispatcher" in options) && !("fetch" in options) ? { fetch: globalThis.fetch } : {};
  return new RefoldClient({
    apiKey: API_KEY,
    baseUrl,
    linkedAccountId: ACCOUNT,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    ...transport,
    ...options,
  });
}

/** Anything a test opens and the fixture closes after it: a client, a limiter, a Redis connection. */
export interface Closable {
  close(): unknown;
}

/** What `useTestServer` gives a test file. */
export interface TestServerFixture {
  /** Listening from beforeAll on; reset after each test, closed after the file. */
  readonly server: TestServer;
  /** A `testClient` against the server, closed after the test. */
  client(options?: Partial<RefoldClientOptions>): RefoldClient;
  /** Closes `item` after the test (in reverse order of tracking). */
  track<T extends Closable>(item: T): T;
}

/**
 * The setup every runtime test file shares: one TestServer for the file, and whatever a test opens closed
 * after it, the server's script and log reset.
 */
export function useTestServer(): TestServerFixture {
  const server = TestServer.create();
  const open: Closable[] = [];
  beforeAll(() => server.listen());
  afterEach(async () => {
    server.reset();
    for (const item of open.splice(0).reverse()) await item.close();
  });
  afterAll(() => server.close());
  const track = <T extends Closable>(item: T): T => {
    open.push(item);
    return item;
  };
  return { server, track, client: (options = {}) => track(testClient(server.url, options)) };
}

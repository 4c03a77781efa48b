/** Action specs and secrets shared by the runtime tests. */

import { RefoldClient, type RefoldClientOptions } from "../../templates/runtime/index.js";
import type { ActionSpec } from "../../templates/runtime/types.js";

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

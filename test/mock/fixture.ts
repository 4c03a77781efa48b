import { Agent, request } from "undici";
import type { PulledApp } from "../../generator/lock/types.js";

/**
 * A small catalog as a lock would hold it. Parsed from JSON text on purpose: an object literal with a
 * `__proto__` key would set a prototype instead of defining the hostile field and action names.
 */
export const FIXTURE_JSON = `{
  "hubspot": {
    "actions": [
      { "name": "HTTP Request", "action_id": "httprequest", "description": "Raw passthrough" },
      { "name": "Create Contact", "action_id": "create_contact", "description": "Creates a contact", "tag": "v2" },
      { "name": "Get Contact", "action_id": "get_contact", "description": "Lists contacts" },
      { "name": "Broken", "action_id": "broken_action", "description": "Payload the normalizer cannot use" },
      { "name": "Upload", "action_id": "files/upload", "description": "An id with a slash" }
    ],
    "parameters": {
      "httprequest": [{ "name": "url", "label": "URL", "required": true, "type": "url" }],
      "create_contact": [
        { "name": "email", "label": "Email", "required": true, "type": "text" },
        { "name": "firstname", "label": "First name", "required": false, "type": "text" },
        { "name": "age", "type": "number" },
        { "name": "subscribed", "type": "boolean" },
        { "name": "lifecyclestage", "type": "select", "options": [{ "name": "Lead", "value": "lead" }, { "value": "customer" }] },
        { "name": "tags", "type": "select", "multiple": true, "options": [{ "value": "vip" }, { "value": "partner" }] },
        { "name": "meta", "type": "json" },
        { "name": "address", "type": "object", "fields": [
          { "name": "city", "type": "text", "required": true },
          { "name": "zip", "type": "text" }
        ] },
        { "name": "lines", "type": "array", "items": "text" },
        { "name": "custom", "type": "hologram" },
        { "name": "__proto__", "type": "text" },
        { "name": "a\\"b", "type": "text" },
        { "name": "🎉", "type": "boolean" }
      ],
      "get_contact": { "parameters": [{ "name": "limit", "label": "Limit", "required": false, "type": "text" }] },
      "broken_action": "not a parameter list",
      "files/upload": []
    }
  },
  "google-sheets": {
    "actions": [
      { "name": "Append Row", "action_id": "append_row", "description": "Appends a row" },
      { "name": "List Rows", "action_id": "list_rows", "description": "Lists rows" },
      { "name": "Proto", "action_id": "__proto__", "description": "A hostile id" }
    ],
    "parameters": {
      "append_row": [
        { "name": "spreadsheet_id", "label": "Spreadsheet", "required": "true", "type": "text" },
        { "name": "values", "label": "Values", "required": true, "type": "json" }
      ],
      "list_rows": [],
      "__proto__": [{ "name": "x", "type": "text", "required": true }]
    }
  }
}`;

/** A fresh parse each time, so no test can mutate another's catalog. */
export function fixtureApps(): Record<string, PulledApp> {
  return JSON.parse(FIXTURE_JSON) as Record<string, PulledApp>;
}

/** Default credentials every test call sends unless told otherwise. */
export const KEY_HEADERS = { "x-api-key": "tk_test", linked_account_id: "acct-1" } as const;

/** One dispatcher per test file keeps pooled sockets from leaking between files. */
export function makeAgent(): Agent {
  return new Agent({ keepAliveTimeout: 1_000 });
}

/** What the tests look at in an answer. */
export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** Sends one request over loopback and reads the whole answer. */
export async function call(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; auth?: boolean } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : KEY_HEADERS), ...options.headers };
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await request(`${base}${path}`, {
    method: method as "GET",
    headers,
    dispatcher: agent,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** Paths of the endpoints, with each segment encoded as a client would. */
export const paths = {
  list: (app: string) => `/api/v2/integration-schema/${encodeURIComponent(app)}/actions`,
  schema: (app: string, action: string) =>
    `/api/v2/integration-schema/${encodeURIComponent(app)}/actions/${encodeURIComponent(action)}`,
  execute: (app: string, action: string) =>
    `/api/v2/integration-schema/${encodeURIComponent(app)}/actions/${encodeURIComponent(action)}/execute`,
  applications: "/api/v2/public/application",
};

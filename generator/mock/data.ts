import { inferKind } from "../model/kinds.js";
import { createHash } from "node:crypto";
import { compareCodeUnits } from "../util/stable-json.js";

/** The fixed time every record carries, so answers are byte-identical across runs. */
export const MOCK_TIME = "2024-01-01T00:00:00.000Z";

/** Whether an action reads or writes; see `inferKind`. */
export type MockKind = "read" | "write";

/**
 * The `data` of a successful execute. Every answer carries `action`, `account` and `echo` at the top
 * level so tests can assert on them whatever the action; the rest imitates the provider's native shape
 * (HubSpot's, as Refold's docs publish it):
 *
 * ```
 * read  (get_/list_/search_/find_/fetch_):
 *   { action: "<slug>.<action_id>", account, echo, kind: "read",
 *     results: [{ id, properties: { name }, createdAt, updatedAt, archived: false }], paging: {} }
 * write (everything else, httprequest included):
 *   { action: "<slug>.<action_id>", account, echo, kind: "write",
 *     id, properties: <the body>, createdAt, updatedAt, archived: false }
 * ```
 *
 * `account` is the `linked_account_id` header, or `"session"` for a bearer token. `echo` is the parsed
 * body exactly as received. `id` is `mock-` plus 12 hex digits of a hash of the action and the body (keys
 * sorted), so the same call always gets the same id. Times are `MOCK_TIME`.
 */
export interface MockData {
  action: string;
  account: string;
  echo: unknown;
  kind: MockKind;
  [key: string]: unknown;
}

/** The plausible, deterministic `data` for one successful execute. */
export function executeData(slug: string, actionId: string, account: string, body: unknown): MockData {
  const action = `${slug}.${actionId}`;
  const id = `mock-${digest(`${action}\n${stableJson(body)}`).slice(0, 12)}`;
  const record = { createdAt: MOCK_TIME, updatedAt: MOCK_TIME, archived: false };
  if (inferKind(actionId) === "read") {
    const results = [{ id, properties: { name: `Sample ${slug} record` }, ...record }];
    return { action, account, echo: body, kind: "read", results, paging: {} };
  }
  return { action, account, echo: body, kind: "write", id, properties: body, ...record };
}

/** A display name for an app slug: `google-sheets` gives `Google Sheets`. */
export function appName(slug: string): string {
  return slug
    .split(/[-_\s]+/)
    .filter((word) => word !== "")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/** JSON with object keys sorted by code unit (locale-independent), for hashing. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareCodeUnits);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/*
 * The one request every runtime figure sends (bench/child/runtime-client.ts on Node, fetch-runtime.ts in Bun
 * and Deno): an action's spec and params for RefoldClient, and the same request as raw headers for the
 * baselines. No Node API here: fetch-runtime.ts is bundled for other runtimes.
 */
import type { ActionSpec } from "../../templates/runtime/types.js";

export const API_KEY = "tk_bench_runtime";
export const ACCOUNT = "bench-account";
export const path = "/api/v2/integration-schema/bench-crm/actions/get_contact/execute";
export const spec: ActionSpec = {
  app: "bench-crm",
  action: "get_contact",
  kind: "read",
  fields: [
    { name: "contact_id", type: "string", required: true },
    { name: "limit", type: "number" },
    { name: "properties", type: "string", values: ["email", "firstname", "lastname"], multiple: true },
    { name: "archived", type: "boolean" },
  ],
};
export const params = { contact_id: "c-1001", limit: 10, properties: ["email", "firstname"], archived: false };
export const headers = {
  "user-agent": "bench-raw",
  accept: "application/json",
  "content-type": "application/json",
  "x-api-key": API_KEY,
  linked_account_id: ACCOUNT,
};

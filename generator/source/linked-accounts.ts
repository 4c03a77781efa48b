import { fetchJson } from "./http.js";
import { resolveOptions, type SourceOptions } from "./options.js";

const PATH = "/api/v2/public/linked-account";

/**
 * The id of the org's first linked account (`GET /api/v2/public/linked-account`, which pages its answer as
 * `{ docs: [{ account_id, ... }], ... }`; a bare array is accepted too), or undefined when the org has none.
 * Throws a CodegenError (exit 3) when the list cannot be read.
 */
export async function firstLinkedAccount(options: Omit<SourceOptions, "linkedAccountId">): Promise<string | undefined> {
  const path = `${PATH}?page=1&limit=1`;
  const value = (await fetchJson(
    resolveOptions({ ...options, orgLevel: true }),
    path,
    "listing the org's linked accounts",
  )) as { docs?: unknown } | unknown[] | null;
  const docs = Array.isArray(value) ? value : Array.isArray(value?.docs) ? value.docs : [];
  for (const doc of docs) {
    const { account_id: id, linked_account_id: alias } = (doc ?? {}) as Record<string, unknown>;
    const account = typeof id === "string" ? id : alias;
    if (typeof account === "string" && account.trim() !== "") return account;
  }
  return undefined;
}

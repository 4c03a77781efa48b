import { CodegenError, ExitCode } from "../util/diagnostics.js";
import { failureDiagnostic } from "./errors.js";
import { JsonClient } from "./http.js";
import { resolveOptions, type SourceOptions } from "./options.js";
import { redact } from "./text.js";

const PATH = "/api/v2/public/linked-account";

/**
 * The id of the org's first linked account (`GET /api/v2/public/linked-account`, which pages its answer as
 * `{ docs: [{ account_id, ... }], ... }`; a bare array is accepted too), or undefined when the org has none.
 * Throws a CodegenError (exit 3) when the list cannot be read.
 */
export async function firstLinkedAccount(options: Omit<SourceOptions, "linkedAccountId">): Promise<string | undefined> {
  const resolved = resolveOptions({ ...options, orgLevel: true });
  const client = new JsonClient(resolved);
  const path = `${PATH}?page=1&limit=1`;
  try {
    const fetched = await client.getJson(path);
    if (!fetched.ok) {
      const diagnostic = redact(
        failureDiagnostic(fetched.failure, { url: client.url(path), what: "listing the org's linked accounts" }),
        resolved.secrets,
      );
      throw new CodegenError(diagnostic.message, ExitCode.network, [diagnostic]);
    }
    const value = fetched.value as { docs?: unknown } | unknown[] | null;
    const docs = Array.isArray(value) ? value : Array.isArray(value?.docs) ? value.docs : [];
    for (const doc of docs) {
      const { account_id: id, linked_account_id: alias } = (doc ?? {}) as Record<string, unknown>;
      const account = typeof id === "string" ? id : alias;
      if (typeof account === "string" && account.trim() !== "") return account;
    }
    return undefined;
  } finally {
    await client.close();
  }
}

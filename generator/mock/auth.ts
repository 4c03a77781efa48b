import type { IncomingHttpHeaders } from "node:http";
import { errorReply, type Reply } from "./reply.js";

/** What the server accepts as credentials. */
export interface AuthPolicy {
  /** When set, `x-api-key` must equal it; otherwise any non-empty key passes. */
  apiKey?: string | undefined;
  /** When set, the accepted bearer tokens; otherwise any non-empty token passes. */
  sessionTokens?: readonly string[] | undefined;
  /** Tokens the emulator minted (`POST /api/v2/public/session-token`), each scoped to its linked account. */
  minted?: ReadonlyMap<string, string>;
}

/** Who a request runs as: the `linked_account_id` header, or `"session"` for a session token. */
export type AuthResult = { ok: true; account: string } | { ok: false; reply: Reply };

/**
 * Checks the two documented forms: `Authorization: Bearer <token>` (which replaces both headers), or
 * `x-api-key` plus `linked_account_id`. A bearer header wins when both are present, as a session token
 * is scoped to one account and the key is then redundant.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  policy: AuthPolicy,
  requestId: string,
  orgLevel = false,
): AuthResult {
  const authorization = header(headers, "authorization");
  if (authorization !== undefined) {
    const match = /^bearer\s+(\S.*)$/i.exec(authorization.trim());
    const token = match?.[1]?.trim();
    const mintedFor = token === undefined ? undefined : policy.minted?.get(token);
    if (mintedFor !== undefined) return { ok: true, account: mintedFor };
    const accepted = token !== undefined && (policy.sessionTokens?.includes(token) ?? token !== "");
    if (!accepted) return { ok: false, reply: errorReply(requestId, 401, "SERVER_ERROR", "Invalid session token") };
    return { ok: true, account: "session" };
  }
  const key = header(headers, "x-api-key");
  const keyOk = key !== undefined && key !== "" && (policy.apiKey === undefined || key === policy.apiKey);
  if (!keyOk) return { ok: false, reply: errorReply(requestId, 401, "SERVER_ERROR", "Invalid Credentials") };
  const account = header(headers, "linked_account_id")?.trim();
  // Org-level endpoints (the linked-account list) are keyed by the API key alone.
  if (orgLevel && (account === undefined || account === "")) return { ok: true, account: "" };
  if (account === undefined || account === "") {
    const message = "Missing required header 'linked_account_id'";
    return { ok: false, reply: errorReply(requestId, 400, "VALIDATION_ERROR", message) };
  }
  return { ok: true, account };
}

/** One header's value; Node joins repeated custom headers with ", ", which we keep as sent. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

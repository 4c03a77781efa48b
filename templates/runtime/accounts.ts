/**
 * The calls around actions, as the generated client offers them: which configured apps a linked account has
 * connected (`connections()`), a session token for a browser (`sessionToken()`).
 */

import { RefoldResponseError } from "./errors.js";
import { callDetails, type ErrorContext } from "./response.js";
import type { Connection, SessionToken } from "./types.js";

export /** Refold's `{ token, refresh_token, expires_in }` (older: `{ token }` only) as a SessionToken. */
function sessionTokenOf(answer: unknown, ctx: ErrorContext): SessionToken {
  const record = (typeof answer === "object" && answer !== null ? answer : {}) as Record<string, unknown>;
  const { token, refresh_token: refreshToken, expires_in: expiresIn } = record;
  if (typeof token !== "string" || token === "")
    throw new RefoldResponseError("the session-token answer holds no token", {
      ...callDetails(ctx),
      status: 200,
      body: "[redacted]",
    });
  return {
    token,
    ...(typeof refreshToken === "string" ? { refreshToken } : {}),
    ...(typeof expiresIn === "number" ? { expiresIn } : {}),
  };
}

/**
 * One entry per configured app (by its property name), from Refold's app list for one linked account: an
 * app Refold does not list, or lists without a connection, is not connected.
 */
export function connectionsOf(
  answer: unknown,
  apps: Readonly<Record<string, { readonly slug: string }>>,
): Record<string, Connection> {
  const listed = new Map<string, Record<string, unknown>>();
  for (const entry of Array.isArray(answer) ? answer : []) {
    if (typeof entry === "object" && entry !== null && typeof (entry as { slug?: unknown }).slug === "string")
      listed.set((entry as { slug: string }).slug, entry as Record<string, unknown>);
  }
  const connections: Record<string, Connection> = {};
  for (const [property, { slug }] of Object.entries(apps)) {
    const entry = listed.get(slug);
    const listedAccounts = entry === undefined ? undefined : entry["connected_accounts"];
    const accounts = Array.isArray(listedAccounts) ? (listedAccounts as unknown[]) : [];
    const status = (accounts[0] as { status?: unknown } | undefined)?.status;
    Object.defineProperty(connections, property, {
      enumerable: true,
      value: {
        slug,
        connected: entry?.["connected"] === true,
        reauthRequired: entry?.["reauth_required"] === true,
        ...(status === "active" || status === "expired" ? { status } : {}),
      },
    });
  }
  return connections;
}

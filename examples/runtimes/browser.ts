// A browser page, bundled by Vite, esbuild or webpack. It never holds the API key: it asks its own server for a
// session token scoped to the signed-in customer's linked account (see server-session.ts), then calls Refold.
import { createRefold, RefoldAuthenticationError } from "../../generated/index.js";

async function sessionToken(): Promise<string> {
  const response = await fetch("/refold/session", { credentials: "same-origin" });
  if (!response.ok) throw new Error(`cannot get a Refold session: HTTP ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

let refold = createRefold({ sessionToken: await sessionToken() });

export async function latestContacts(): Promise<unknown> {
  try {
    return await refold.hubspot.getContact({ limit: "5" });
  } catch (error) {
    // An expired token: get a new one once, then try again.
    if (!(error instanceof RefoldAuthenticationError)) throw error;
    refold = createRefold({ sessionToken: await sessionToken() });
    return refold.hubspot.getContact({ limit: "5" });
  }
}

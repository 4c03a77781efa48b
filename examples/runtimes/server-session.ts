// The server side of the browser flow (Node, or any runtime above): mint a session token for the signed-in
// customer's linked account. The API key stays here.
import { createRefold } from "../../generated/index.js";

const refold = createRefold({ apiKey: process.env.REFOLD_API_KEY! });

/** GET /refold/session, after your own authentication has told `tenantId`. */
export async function handleSession(tenantId: string): Promise<Response> {
  const { token, expiresIn } = await refold.sessionToken(tenantId);
  return Response.json({ token, expiresIn }, { headers: { "cache-control": "no-store" } });
}

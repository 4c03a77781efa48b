// A Cloudflare Worker (wrangler): the client sends over the Worker's fetch, with no configuration.
// wrangler.toml: main = "worker.ts", compatibility_date = "2026-11-01"; `wrangler secret put REFOLD_API_KEY`.
import { createRefold, RefoldError } from "../../generated/index.js";

interface Env {
  readonly REFOLD_API_KEY: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // One client per request is fine in a Worker: it holds no connection pool, only settings.
    const refold = createRefold({ apiKey: env.REFOLD_API_KEY });
    const tenant = request.headers.get("x-tenant-id");
    if (tenant === null) return new Response("x-tenant-id is required", { status: 400 });
    try {
      const page = await refold.forAccount(tenant).hubspot.getContact({ limit: "10" }, { signal: request.signal });
      return Response.json(page);
    } catch (error) {
      if (error instanceof RefoldError)
        return Response.json({ error: error.name, status: error.status }, { status: 502 });
      throw error;
    }
  },
};

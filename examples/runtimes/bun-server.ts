// A Bun server (`bun run bun-server.ts`): Bun runs the generated TypeScript as it is, over its own fetch.
import { createRefold } from "../../generated/index.js";

const refold = createRefold({ apiKey: Bun.env.REFOLD_API_KEY! });

Bun.serve({
  port: 3000,
  async fetch(request) {
    const tenant = new URL(request.url).searchParams.get("tenant") ?? "";
    return Response.json(await refold.forAccount(tenant).hubspot.getContact({ limit: "10" }));
  },
});

// A Deno script: `deno run --allow-net=app.refold.ai --allow-env=REFOLD_API_KEY deno-script.ts` (Deno resolves
// the output's `.js` imports to its `.ts` files with `--unstable-sloppy-imports`, or run the output compiled by tsc).
import { createRefold, RefoldRateLimitError } from "../../generated/index.js";

await using refold = createRefold({ apiKey: Deno.env.get("REFOLD_API_KEY")!, maxRetries: 4 });
try {
  console.log(await refold.forAccount("customer-42").hubspot.getContact({ limit: "1" }));
} catch (error) {
  if (error instanceof RefoldRateLimitError) console.error(`rate limited; retry after ${error.retryAfterMs} ms`);
  else throw error;
}

/**
 * `node.ts` in a bundle for the browser: the output's package.json maps `./runtime/node.js` here in its
 * `browser` field, which esbuild, Vite, webpack and Rollup's node-resolve read when they bundle for a browser
 * (Node, Bun, Deno and a `tsc --outDir` build never read it, and take `node.ts`). A page is not Node and has
 * no undici, so the undici transport stays out of its bundle; everything else is the same runtime.
 */

import { configError } from "./errors.js";
import type { RefoldDispatcher } from "./transport-undici.js";
import type { Transport } from "./transport.js";

/** A browser bundle runs in a browser, neither Node, Bun nor Deno: the user-agent names no runtime. */
export function runtimeVersion(): string {
  return "";
}

/** No undici in a browser bundle: `dispatcher` is refused, naming the option that works there. */
export function nodeTransport(dispatcher: RefoldDispatcher | undefined): Transport | undefined {
  if (dispatcher === undefined) return undefined;
  throw configError("dispatcher works on Node only, not in a browser bundle: pass fetch instead");
}

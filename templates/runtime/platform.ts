/**
 * Which transport a client uses, decided once per client without any configuration: the user's own
 * (`dispatcher` or `fetch`), else undici on Node (`node.ts`), else the platform's `fetch`.
 *
 * Bun, Deno, Cloudflare's workerd and edge runtimes imitate parts of Node (a global `process`, Bun's own
 * partial `undici`), so they are recognized by their own globals first and take `fetch`.
 */

import { nodeTransport, runtimeVersion } from "./node.js";
import { fetchTransport, type RefoldFetch } from "./transport-fetch.js";
import type { RefoldDispatcher } from "./transport-undici.js";
import type { Transport } from "./transport.js";

interface PlatformGlobals {
  readonly window?: unknown;
  readonly document?: unknown;
  readonly fetch?: RefoldFetch;
}

const scope = globalThis as PlatformGlobals;

/** True in a browser page or a browser worker's page context, where an API key would be readable by anyone. */
export function isBrowser(): boolean {
  return typeof scope.window !== "undefined" && typeof scope.document !== "undefined";
}

/** The `user-agent` the client sends, naming the runtime; none in a browser, which sends its own. */
export function userAgent(): string | undefined {
  return isBrowser() ? undefined : `refold-codegen-runtime/0.1${runtimeVersion()}`;
}

/**
 * The transport for a client's options: `dispatcher` or `fetch` when given, else the platform's best;
 * undefined on a platform with neither undici nor a global fetch.
 */
export function createTransport(options: {
  readonly dispatcher: RefoldDispatcher | undefined;
  readonly fetch: RefoldFetch | undefined;
}): Transport | undefined {
  if (options.fetch !== undefined) return fetchTransport(options.fetch);
  const node = nodeTransport(options.dispatcher);
  if (node !== undefined) return node;
  const fetch = scope.fetch;
  if (typeof fetch !== "function") return undefined;
  // Called bare, never as a method of another object: browsers' fetch refuses any `this` but the window.
  return fetchTransport((url, init) => fetch(url, init));
}

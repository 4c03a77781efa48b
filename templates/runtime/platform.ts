/**
 * Which transport a client uses, decided once per client without any configuration: the user's own
 * (`dispatcher` or `fetch`), else undici on Node, else the platform's `fetch`.
 *
 * undici is never imported by a module of the runtime: on Node it is loaded through Node's own
 * `createRequire` at run time, so no bundler (esbuild, Vite, webpack, wrangler, Next.js) meets it, whatever
 * it targets, and the output needs no package.json conditions (which a `tsc --outDir` build would lose).
 * Bun, Deno, Cloudflare's workerd and edge runtimes imitate parts of Node (a global `process`, Bun's own
 * partial `undici`), so they are recognized by their own globals first and take `fetch`.
 */

import { fetchTransport, type RefoldFetch } from "./transport-fetch.js";
import { undiciTransport, type RefoldDispatcher } from "./transport-undici.js";
import type { Transport } from "./transport.js";

interface NodeProcess {
  readonly version: string;
  readonly versions: { readonly node?: string };
  getBuiltinModule(id: string): unknown;
}

interface PlatformGlobals {
  readonly process?: Partial<NodeProcess>;
  readonly Bun?: { readonly version?: string };
  readonly Deno?: { readonly version?: { readonly deno?: string } };
  readonly EdgeRuntime?: unknown;
  readonly navigator?: { readonly userAgent?: string };
  readonly window?: unknown;
  readonly document?: unknown;
  readonly fetch?: RefoldFetch;
}

const scope = globalThis as PlatformGlobals;

/** Node itself (not a runtime imitating it), with `process.getBuiltinModule` (Node 20.16 and later). */
function nodeProcess(): NodeProcess | undefined {
  if (scope.Bun !== undefined || scope.Deno !== undefined || scope.EdgeRuntime !== undefined) return undefined;
  if (scope.navigator?.userAgent === "Cloudflare-Workers") return undefined;
  const process = scope.process;
  if (typeof process?.versions?.node !== "string" || typeof process.getBuiltinModule !== "function") return undefined;
  return process as NodeProcess;
}

/** True in a browser page or a browser worker's page context, where an API key would be readable by anyone. */
export function isBrowser(): boolean {
  return typeof scope.window !== "undefined" && typeof scope.document !== "undefined";
}

/** The `user-agent` the client sends, naming the runtime; none in a browser, which sends its own. */
export function userAgent(): string | undefined {
  const name = "refold-codegen-runtime/0.1";
  if (isBrowser()) return undefined;
  if (scope.Bun !== undefined) return `${name} bun/${scope.Bun.version ?? "unknown"}`;
  if (scope.Deno !== undefined) return `${name} deno/${scope.Deno.version?.deno ?? "unknown"}`;
  const node = nodeProcess();
  return node === undefined ? name : `${name} node/${node.version}`;
}

type UndiciModule = { Agent: new (options: { headersTimeout: number; bodyTimeout: number }) => RefoldDispatcher };

let undici: UndiciModule | null | undefined;

/** undici from the user's node_modules (a dependency of theirs), or null when it cannot be loaded. */
function loadUndici(node: NodeProcess): UndiciModule | null {
  if (undici !== undefined) return undici;
  try {
    const { createRequire } = node.getBuiltinModule("module") as { createRequire(from: string): (id: string) => unknown };
    // A variable, not `require`: bundlers must not see (and try to bundle) this load.
    const load = createRequire(import.meta.url);
    const loaded = load("undici") as Partial<UndiciModule>;
    undici = typeof loaded.Agent === "function" ? (loaded as UndiciModule) : null;
  } catch {
    undici = null;
  }
  return undici;
}

/**
 * The transport for a client's options: `dispatcher` or `fetch` when given, else the platform's best;
 * undefined on a platform with neither undici nor a global fetch.
 */
export function createTransport(options: {
  readonly dispatcher: RefoldDispatcher | undefined;
  readonly fetch: RefoldFetch | undefined;
}): Transport | undefined {
  if (options.dispatcher !== undefined) return undiciTransport(options.dispatcher, false);
  if (options.fetch !== undefined) return fetchTransport(options.fetch);
  const node = nodeProcess();
  const loaded = node === undefined ? null : loadUndici(node);
  // Our own timer bounds every attempt, so undici's per-request timers would only add work.
  if (loaded !== null) return undiciTransport(new loaded.Agent({ headersTimeout: 0, bodyTimeout: 0 }), true);
  const fetch = scope.fetch;
  if (typeof fetch !== "function") return undefined;
  // Called bare, never as a method of another object: browsers' fetch refuses any `this` but the window.
  return fetchTransport((url, init) => fetch(url, init));
}

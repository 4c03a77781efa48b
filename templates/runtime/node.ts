/**
 * What the runtime does outside a browser: recognize Node itself and send over undici (the user's `dispatcher`,
 * or an Agent of the undici in the user's node_modules), and name the runtime in the user-agent. `platform.ts`
 * asks this module first.
 *
 * undici is never imported: it is loaded through Node's own `createRequire` at run time, so no bundler
 * (esbuild, Vite, webpack, wrangler, Next.js) meets it, whatever it targets, and the output needs no
 * package.json conditions (which a `tsc --outDir` build would lose). A bundle for the browser takes
 * `node.browser.ts` instead (the `browser` field of the output's package.json, which bundlers read): neither
 * this module nor the undici transport can do anything in a browser, so they stay out of its bundle.
 */

import { configError } from "./errors.js";
import { undiciTransport, type RefoldDispatcher } from "./transport-undici.js";
import type { Transport } from "./transport.js";

interface NodeProcess {
  readonly version: string;
  readonly versions: { readonly node?: string };
  getBuiltinModule(id: string): unknown;
}

interface NodeGlobals {
  readonly process?: Partial<NodeProcess>;
  readonly Bun?: { readonly version?: string };
  readonly Deno?: { readonly version?: { readonly deno?: string } };
  readonly EdgeRuntime?: unknown;
  readonly navigator?: { readonly userAgent?: string };
}

const scope = globalThis as NodeGlobals;

/**
 * Node itself (not a runtime imitating it: Bun, Deno, workerd and edge runtimes have a global `process`), with
 * `process.getBuiltinModule` (Node 20.16 and later).
 */
function nodeProcess(): NodeProcess | undefined {
  if (scope.Bun !== undefined || scope.Deno !== undefined || scope.EdgeRuntime !== undefined) return undefined;
  if (scope.navigator?.userAgent === "Cloudflare-Workers") return undefined;
  const process = scope.process;
  if (typeof process?.versions?.node !== "string" || typeof process.getBuiltinModule !== "function") return undefined;
  return process as NodeProcess;
}

/** The runtime as the user-agent names it after the client: ` bun/1.4.5`, ` deno/2.9.6`, ` node/v20.20.0`, or none. */
export function runtimeVersion(): string {
  const { Bun, Deno } = scope;
  if (Bun !== undefined) return ` bun/${Bun.version ?? "unknown"}`;
  if (Deno !== undefined) return ` deno/${Deno.version?.deno ?? "unknown"}`;
  const node = nodeProcess();
  return node === undefined ? "" : ` node/${node.version}`;
}

type UndiciModule = { Agent: new (options: { headersTimeout: number; bodyTimeout: number }) => RefoldDispatcher };

let undici: UndiciModule | null | undefined;

/** undici from the user's node_modules (a dependency of theirs), or null when it cannot be loaded. */
function loadUndici(node: NodeProcess): UndiciModule | null {
  if (undici !== undefined) return undici;
  try {
    const { createRequire } = node.getBuiltinModule("module") as {
      createRequire(from: string): (id: string) => unknown;
    };
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
 * The undici transport: over `dispatcher` when given, else, on Node itself, over an Agent of the user's undici;
 * undefined when neither (another runtime, or undici not installed).
 */
export function nodeTransport(dispatcher: RefoldDispatcher | undefined): Transport | undefined {
  if (dispatcher !== undefined) {
    if (typeof (dispatcher as Partial<RefoldDispatcher> | null)?.request !== "function") {
      throw configError("dispatcher must be an undici Dispatcher (an Agent, Pool or MockAgent)");
    }
    return undiciTransport(dispatcher, false);
  }
  const node = nodeProcess();
  const loaded = node === undefined ? null : loadUndici(node);
  // Our own timer bounds every attempt, so undici's per-request timers would only add work.
  return loaded === null ? undefined : undiciTransport(new loaded.Agent({ headersTimeout: 0, bodyTimeout: 0 }), true);
}

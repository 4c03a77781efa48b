/**
 * The transport everywhere but Node: the platform's `fetch` (Bun, Deno, Cloudflare Workers, edge runtimes,
 * browsers) or the user's own (`fetch` option). Same rules as the Node transport: one deadline over the
 * whole attempt including the body, the caller's signal, the same errors.
 */

import { RefoldConnectionError } from "./errors.js";
import { callDetails } from "./response.js";
import { attemptError, AttemptGuard, abortError, type RawResponse, type Transport } from "./transport.js";

/**
 * What the client needs of `fetch`: the platform's (`globalThis.fetch`) and any wrapper of it fit this type,
 * so the runtime needs no DOM or Node type for it.
 */
export type RefoldFetch = (
  url: string,
  init: {
    method: string;
    headers: Readonly<Record<string, string>>;
    body?: string;
    signal: AbortSignal;
    redirect: "manual";
  },
) => Promise<{
  readonly status: number;
  readonly type?: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** A transport over `fetch`; it owns nothing, so `close()` has nothing to release. */
export function fetchTransport(fetch: RefoldFetch): Transport {
  return {
    async send(request, timeoutMs, signal, ctx): Promise<RawResponse> {
      if (signal?.aborted) throw abortError(ctx, signal);
      const controller = new AbortController();
      const guard = new AttemptGuard(timeoutMs, signal, () => controller.abort());
      let status: number | undefined;
      try {
        const response = await fetch(request.origin + request.path, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: controller.signal,
          // A redirect is never followed: it would carry the API key to wherever it points.
          redirect: "manual",
        });
        if (response.status === 0 || response.type === "opaqueredirect") {
          throw new RefoldConnectionError("the server answered with a redirect, which the client does not follow", {
            ...callDetails(ctx),
            beforeSend: false,
          });
        }
        status = response.status;
        const text = await response.text();
        return { status, headers: (name) => response.headers.get(name) ?? undefined, text };
      } catch (error) {
        if (error instanceof RefoldConnectionError) throw error;
        throw attemptError({ error, cancelled: guard.cause, status }, timeoutMs, ctx, signal);
      } finally {
        guard.end();
      }
    },
    close: () => Promise.resolve(),
  };
}

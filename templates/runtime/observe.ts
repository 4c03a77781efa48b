/**
 * What the client tells its observers (the logger, `onRequest`, `onResponse`). Every observer call goes
 * through `safely`: a logger or hook that throws must never change what the call does.
 */

import type { ResolvedOptions, RefoldResponseEvent } from "./options.js";
import { redactHeaders } from "./redact.js";
import type { ErrorContext } from "./response.js";
import type { OutgoingRequest } from "./transport.js";

/** The client's observers, behind one guard. */
export class Observer {
  /** True when anyone listens to requests and responses: the hot path skips building events otherwise. */
  readonly active: boolean;
  private readonly config: ResolvedOptions;

  constructor(config: ResolvedOptions) {
    this.config = config;
    this.active = Boolean(config.logger || config.onRequest || config.onResponse);
  }

  /** Before each attempt: the request with its secrets masked. */
  request(request: OutgoingRequest, ctx: ErrorContext, attempt: number): void {
    const event = {
      app: ctx.app,
      action: ctx.action,
      attempt,
      method: request.method,
      url: request.origin + request.path,
      headers: redactHeaders(request.headers, this.config.includeLinkedAccountId),
    };
    safely(() => this.config.logger?.debug?.("refold: request", { ...event }));
    safely(() => this.config.onRequest?.(event));
  }

  /** After each attempt that got a response. */
  response(event: RefoldResponseEvent): void {
    safely(() => this.config.logger?.debug?.("refold: response", { ...event }));
    safely(() => this.config.onResponse?.(event));
  }

  /** Before waiting to retry a failed attempt. */
  retrying(meta: Record<string, unknown>): void {
    safely(() => this.config.logger?.warn?.("refold: retrying", meta));
  }

  /** A result that no longer fits its recorded shape (`checkResults: "warn"`). */
  drift(meta: Record<string, unknown>): void {
    safely(() => this.config.logger?.warn?.("refold: a result does not fit its recorded shape", meta));
  }
}

export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Deliberately ignored: observability is best effort.
  }
}

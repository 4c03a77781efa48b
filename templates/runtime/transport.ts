/**
 * What every transport shares: the request and response of one attempt, the deadline and cancellation that
 * bound it, and how a failed attempt becomes a RefoldError. The transports themselves are
 * `transport-undici.ts` (Node) and `transport-fetch.ts` (everywhere else); `platform.ts` picks one.
 */

import { onAbort } from "./abort.js";
import { CONNECT_FAILURES } from "./connect.js";
import {
  RefoldAbortError,
  RefoldConfigError,
  RefoldConnectionError,
  RefoldResponseError,
  RefoldTimeoutError,
  type RefoldError,
} from "./errors.js";
import { callDetails, type ErrorContext, type ResponseHeaders } from "./response.js";

/** The parts of a request that vary per call: an action's execute is a POST with a body. */
export interface OutgoingRequest {
  readonly method: "GET" | "POST";
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A response read to its end. */
export interface RawResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
}

/** Sends one attempt and reads the whole answer; every transport keeps the same rules. */
export interface Transport {
  /**
   * One attempt within `timeoutMs` (from connecting to the last body byte), cancellable by `signal`;
   * rejects with a RefoldError, never anything else.
   */
  send(
    request: OutgoingRequest,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    ctx: ErrorContext,
  ): Promise<RawResponse>;
  /** Releases what the transport owns (its connection pool); a pool or fetch the user passed in is left alone. */
  close(): Promise<void>;
}

/** Why an attempt was cancelled by us rather than failing by itself. */
export type CancelCause = "timeout" | "abort";

/**
 * How late a deadline may fire. The deadlines of every attempt in flight are watched by one timer that ticks this
 * often, not by a timer each: on a fast fetch (Deno's) a timer set and cleared per attempt costs more than the
 * rest of the client, as undici found for its own timeouts.
 */
export const DEADLINE_TICK_MS = 20;

const watched = new Set<AttemptGuard>();
let ticking = false;

function tick(): void {
  const now = Date.now();
  for (const guard of watched) if (guard.deadline <= now) guard.expire();
  ticking = watched.size > 0;
  if (ticking) schedule();
}

function schedule(): void {
  const timer = setTimeout(tick, DEADLINE_TICK_MS) as unknown as { unref?: () => void };
  // Node: the attempts' own sockets keep the process alive, not their deadlines.
  timer.unref?.();
}

/**
 * The deadline and the caller's signal of one attempt: whichever comes first cancels it once, and
 * `cause` then says which. `end()` must always be called (it stops watching both).
 */
export class AttemptGuard {
  cause: CancelCause | undefined = undefined;
  readonly deadline: number;
  private readonly unwatch: (() => void) | undefined;
  private readonly cancel: (cause: CancelCause) => void;

  constructor(timeoutMs: number, signal: AbortSignal | undefined, cancel: (cause: CancelCause) => void) {
    this.cancel = cancel;
    // One deadline per attempt: it bounds connect, headers and a stalled or trickling body alike.
    this.deadline = Date.now() + timeoutMs;
    watched.add(this);
    if (!ticking) {
      ticking = true;
      schedule();
    }
    this.unwatch = signal ? onAbort(signal, () => this.fire("abort")) : undefined;
  }

  end(): void {
    watched.delete(this);
    this.unwatch?.();
  }

  /** Called by the tick once the deadline has passed. */
  expire(): void {
    watched.delete(this);
    this.fire("timeout");
  }

  private fire(cause: CancelCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.cancel(cause);
  }
}

/** The RefoldAbortError for a cancelled call, carrying the signal's reason as its cause. */
export function abortError(ctx: ErrorContext, signal: AbortSignal | undefined): RefoldAbortError {
  return new RefoldAbortError("the call was aborted", { ...callDetails(ctx), cause: signal?.reason });
}

/** What a transport knows about a failed attempt. */
export interface AttemptFailure {
  readonly error: unknown;
  /** Set when our deadline or the caller's signal cancelled the attempt (or the transport's own timer fired). */
  readonly cancelled: CancelCause | undefined;
  /** The status, when the headers had arrived before the failure. */
  readonly status: number | undefined;
  /** The transport refused the request itself (e.g. a malformed header): a local mistake, nothing was sent. */
  readonly refused?: boolean;
}

/** The RefoldError for a failed attempt, the same whichever transport made it. */
export function attemptError(
  failure: AttemptFailure,
  timeoutMs: number,
  ctx: ErrorContext,
  signal: AbortSignal | undefined,
): RefoldError {
  const { error, cancelled, status } = failure;
  if (cancelled === "abort") return abortError(ctx, signal);
  if (cancelled === "timeout") {
    const phase = status === undefined ? "before the response headers arrived" : "while the response body was read";
    return new RefoldTimeoutError(`deadline of ${timeoutMs} ms exceeded ${phase}`, {
      ...callDetails(ctx),
      status,
      timeoutMs,
    });
  }
  const code = errorCode(error);
  const detail = ctx.scrubber.text(errorMessage(error), ctx.account);
  if (status !== undefined) {
    return new RefoldResponseError(`the response body broke off (${code ?? "error"}): ${detail}`, {
      ...callDetails(ctx),
      status,
      truncated: true,
      cause: error,
    });
  }
  if (failure.refused === true) {
    return new RefoldConfigError(`invalid request: ${detail}`, { ...callDetails(ctx), cause: error });
  }
  return new RefoldConnectionError(`connection failed (${code ?? "error"}): ${detail}`, {
    ...callDetails(ctx),
    code,
    beforeSend: code !== undefined && CONNECT_FAILURES.has(code),
    cause: error,
  });
}

/** A network error's code: its own, or its cause's (Node's fetch wraps the socket error in `TypeError: fetch failed`). */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 3 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== "" ? `${error.message} (${cause.message})` : error.message;
}

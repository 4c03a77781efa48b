/**
 * Sends a request with retries: one attempt through the transport, then what a failure allows (the kind
 * of call, `Retry-After`, backoff), with a 429 pausing every call of the client together.
 */

import { RefoldConfigError, RefoldError, RefoldLimiterError, RefoldRateLimitError } from "./errors.js";
import type { RefoldLimiter } from "./limiter.js";
import type { CallRecord } from "./telemetry.js";
import { checkNumber, type ResolvedOptions } from "./options.js";
import { safely, type Observer } from "./observe.js";
import { callDetails, type ErrorContext, type ResponseHeaders } from "./response.js";
import { isRetryable, retryAfterOf, retryDelay, sleep } from "./retry.js";
import { abortError, type OutgoingRequest, type Transport } from "./transport.js";
import type { CallOptions } from "./types.js";

/** What a response means: `data` (or the whole JSON), else a RefoldError. */
export type Interpret = (status: number, headers: ResponseHeaders, text: string, ctx: ErrorContext) => unknown;

/** The retry loop of one client, over its transport. */
export class Sender {
  private readonly config: ResolvedOptions;
  private readonly transport: Transport;
  private readonly observer: Observer;
  /** Set by a 429 so that every call of this client waits together instead of hammering the limit. */
  private pausedUntil = 0;
  private closed = false;

  constructor(config: ResolvedOptions, transport: Transport, observer: Observer) {
    this.config = config;
    this.transport = transport;
    this.observer = observer;
  }

  /** One request with retries: `kind` decides what may be retried, `interpret` what a response means. */
  send(
    request: OutgoingRequest,
    ctx: ErrorContext,
    kind: "read" | "write",
    options: CallOptions | undefined,
    interpret: Interpret,
  ): Promise<unknown> {
    const telemetry = this.config.telemetry;
    if (telemetry === undefined) return this.run(request, ctx, kind, options, interpret, undefined);
    const target = { app: ctx.app, action: ctx.action, kind, account: ctx.showAccount ? ctx.account : undefined };
    return telemetry.run(target, (record) => this.run(request, ctx, kind, options, interpret, record));
  }

  private async run(
    request: OutgoingRequest,
    ctx: ErrorContext,
    kind: "read" | "write",
    options: CallOptions | undefined,
    interpret: Interpret,
    record: CallRecord | undefined,
  ): Promise<unknown> {
    const timeoutMs =
      options?.timeoutMs === undefined
        ? this.config.timeoutMs
        : checkNumber("timeoutMs", options.timeoutMs, callDetails(ctx));
    const maxRetries =
      options?.maxRetries === undefined
        ? this.config.maxRetries
        : checkNumber("maxRetries", options.maxRetries, callDetails(ctx));
    const signal = options?.signal;
    const limiter = this.config.limiter;
    // The same on every transport: a fetch has no pool whose closing would refuse the call by itself.
    if (this.closed) throw new RefoldConfigError("the client is closed: make a new one", callDetails(ctx));
    let failure: RefoldError | undefined;
    for (let attempt = 1; ; attempt++) {
      let attemptMs = timeoutMs;
      if (limiter !== undefined) {
        const waited = await this.turn(limiter, ctx, attempt, timeoutMs, signal);
        // The retry budget refused this retry: the call fails as the last attempt did.
        if (waited === undefined) throw failure as RefoldError;
        attemptMs = Math.max(1, timeoutMs - waited);
        if (record) record.waitedMs = (record.waitedMs ?? 0) + waited;
      }
      if (record) record.attempts = attempt;
      try {
        if (this.pausedUntil > 0) await this.waitForPause(signal, ctx);
        return await this.attempt(request, ctx, attempt, attemptMs, signal, interpret, record);
      } catch (error) {
        failure = asRefoldError(error, ctx);
        failure.attempts = attempt;
        if (record && failure.status !== undefined) {
          record.status = failure.status;
          if (failure.status === 429) record.rateLimited++;
        }
        if (attempt > maxRetries || !isRetryable(failure, kind, this.config.retryWrites)) throw failure;
        const delay = retryDelay(attempt, retryAfterOf(failure), this.config);
        const rateLimited = failure instanceof RefoldRateLimitError;
        this.observer.retrying({
          app: ctx.app,
          action: ctx.action,
          attempt,
          error: failure.name,
          status: failure.status,
          delayMs: delay,
        });
        // With a limiter the pause is the limiter's, shared with every call it serves; the next turn waits it out.
        if (rateLimited && limiter !== undefined) safely(() => limiter.rateLimited(ctx.account ?? "", delay));
        else {
          if (rateLimited) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
          await sleep(delay, signal, () => withAttempts(abortError(ctx, signal), attempt));
        }
      }
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return this.transport.close();
  }

  private async attempt(
    request: OutgoingRequest,
    ctx: ErrorContext,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    interpret: Interpret,
    record: CallRecord | undefined,
  ): Promise<unknown> {
    const observed = this.observer.active;
    const started = observed ? Date.now() : 0;
    if (observed) this.observer.request(request, ctx, attempt);
    const response = await this.transport.send(request, timeoutMs, signal, ctx);
    if (record) record.status = response.status;
    if (observed) {
      this.observer.response({
        app: ctx.app,
        action: ctx.action,
        attempt,
        status: response.status,
        durationMs: Date.now() - started,
        requestId: response.headers("x-request-id"),
      });
    }
    return interpret(response.status, response.headers, response.text, ctx);
  }

  /** Waits for the limiter's turn: the ms it took, or undefined when it refuses a retry. */
  private async turn(
    limiter: RefoldLimiter,
    ctx: ErrorContext,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<number | undefined> {
    const started = Date.now();
    try {
      const go = await limiter.acquire({ account: ctx.account ?? "", attempt, deadline: started + timeoutMs, signal });
      return go ? Date.now() - started : undefined;
    } catch (error) {
      const failure = signal?.aborted
        ? abortError(ctx, signal)
        : asRefoldError(error, ctx, RefoldLimiterError, "the limiter gave no turn");
      throw withAttempts(failure, attempt - 1);
    }
  }

  private async waitForPause(signal: AbortSignal | undefined, ctx: ErrorContext): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, signal, () => abortError(ctx, signal));
  }
}

function withAttempts<E extends RefoldError>(error: E, attempts: number): E {
  error.attempts = attempts;
  return error;
}

/**
 * Anything unexpected (a bug, not a network fault; a limiter's own failure) still reaches the caller as a
 * RefoldError, its message scrubbed.
 */
function asRefoldError(
  error: unknown,
  ctx: ErrorContext,
  Class: typeof RefoldError = RefoldError,
  what = "unexpected failure",
): RefoldError {
  if (error instanceof RefoldError) return error;
  const message = ctx.scrubber.text(error instanceof Error ? error.message : String(error), ctx.account);
  return new Class(`${what}: ${message}`, { ...callDetails(ctx), cause: error });
}

/** The executor every generated method calls: local checks, one request per attempt, retries. */

import { Agent, type Dispatcher } from "undici";
import {
  RefoldConfigError,
  RefoldError,
  RefoldLocalValidationError,
  RefoldRateLimitError,
  RefoldReadOnlyError,
  RefoldResultError,
} from "./errors.js";
import {
  checkRetries,
  checkTimeout,
  resolveOptions,
  type RefoldClientOptions,
  type ResolvedOptions,
} from "./options.js";
import { Scrubber, redactHeaders } from "./redact.js";
import { callDetails, interpretResponse, type ErrorContext } from "./response.js";
import { resultProblem, type ResultShape } from "./results.js";
import { isRetryable, retryAfterOf, retryDelay, sleep, type RetryDelays } from "./retry.js";
import { abortError, sendOnce, type OutgoingRequest } from "./transport.js";
import type { ActionRunner, ActionSpec, CallOptions } from "./types.js";
import { validateParams } from "./validate.js";

// Re-exported here because generated code imports the class and its options from this module.
export type { RefoldClientOptions } from "./options.js";

/**
 * One URL path segment. `.` and `..` are encoded too: a proxy or framework that normalizes URLs would
 * otherwise read them as relative steps and call another endpoint.
 */
function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

const USER_AGENT = `refold-codegen-runtime/0.1 node/${typeof process === "undefined" ? "unknown" : process.version}`;

/** Executes Refold actions over one keep-alive connection pool; generated app clients call its `run`. */
export class RefoldClient implements ActionRunner {
  private readonly config: ResolvedOptions;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly baseHeaders: Readonly<Record<string, string>>;
  private readonly scrubber: Scrubber;
  private readonly delays: RetryDelays;
  private readonly observed: boolean;
  private readonly paths = new WeakMap<ActionSpec, string>();
  private readonly shapes = new WeakMap<ActionSpec, ResultShape>();
  /** Set by a 429 so that every call of this client waits together instead of hammering the limit. */
  private pausedUntil = 0;

  /** Validates the options (throws RefoldConfigError naming the problem) and prepares the connection pool. */
  constructor(options: RefoldClientOptions) {
    const config = resolveOptions(options);
    this.config = config;
    this.ownsDispatcher = config.dispatcher === undefined;
    // Our own timer bounds every attempt, so undici's per-request timers would only add work.
    this.dispatcher = config.dispatcher ?? new Agent({ headersTimeout: 0, bodyTimeout: 0 });
    const auth: Record<string, string> =
      config.auth.kind === "apiKey"
        ? { "x-api-key": config.auth.secret }
        : { authorization: `Bearer ${config.auth.secret}` };
    this.baseHeaders = {
      "user-agent": USER_AGENT,
      ...config.headers,
      accept: "application/json",
      "content-type": "application/json",
      ...auth,
    };
    this.scrubber = new Scrubber([config.auth.secret], config.includeLinkedAccountId);
    this.delays = {
      baseDelayMs: config.retryBaseDelayMs,
      maxDelayMs: config.retryMaxDelayMs,
      retryAfterMaxMs: config.retryAfterMaxMs,
    };
    this.observed = Boolean(config.logger || config.onRequest || config.onResponse);
  }

  /** Executes one action and resolves to the response's `data`; rejects with a RefoldError. */
  run(spec: ActionSpec, params: object | undefined, options?: CallOptions): Promise<unknown> {
    return this.execute(spec, params, options, undefined);
  }

  /** A runner bound to one linked account (a call's own `linkedAccountId` still wins). */
  forAccount(linkedAccountId: string): ActionRunner {
    if (typeof linkedAccountId !== "string" || linkedAccountId.trim() === "" || /[\r\n]/.test(linkedAccountId)) {
      throw new RefoldConfigError("forAccount: the linked account id must be a non-empty string");
    }
    return { run: (spec, params, options) => this.execute(spec, params, options, linkedAccountId) };
  }

  /** Closes the client's own connection pool (a `dispatcher` you passed in is left open). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async execute(
    spec: ActionSpec,
    params: object | undefined,
    options: CallOptions | undefined,
    bound: string | undefined,
  ): Promise<unknown> {
    const account = options?.linkedAccountId ?? bound ?? this.config.linkedAccountId;
    const ctx: ErrorContext = {
      app: spec.app,
      action: spec.action,
      account,
      showAccount: this.config.includeLinkedAccountId,
      scrubber: this.scrubber,
    };
    const request = this.prepare(spec, params, account, ctx);
    const timeoutMs =
      options?.timeoutMs === undefined ? this.config.timeoutMs : checkTimeout(options.timeoutMs, "timeoutMs");
    const maxRetries =
      options?.maxRetries === undefined ? this.config.maxRetries : checkRetries(options.maxRetries, "maxRetries");
    const signal = options?.signal;
    const kind = spec.kind === "read" ? "read" : "write";
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.pausedUntil > 0) await this.waitForPause(signal, ctx);
        const data = await this.attempt(request, ctx, attempt, timeoutMs, signal);
        if (spec.result !== undefined && this.config.checkResults !== "off") this.checkResult(spec, data, ctx);
        return data;
      } catch (error) {
        const failure = asRefoldError(error, ctx);
        failure.attempts = attempt;
        if (attempt > maxRetries || !isRetryable(failure, kind, this.config.retryWrites)) throw failure;
        const delay = retryDelay(attempt, retryAfterOf(failure), this.delays);
        if (failure instanceof RefoldRateLimitError) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        this.config.logger?.warn?.("refold: retrying", {
          app: spec.app,
          action: spec.action,
          attempt,
          error: failure.name,
          status: failure.status,
          delayMs: delay,
        });
        await sleep(delay, signal, () => withAttempts(abortError(ctx, signal), attempt));
      }
    }
  }

  /** Everything checked locally before any request: read-only mode, linked account, parameters, JSON. */
  private prepare(
    spec: ActionSpec,
    params: object | undefined,
    account: string | undefined,
    ctx: ErrorContext,
  ): OutgoingRequest {
    const details = callDetails(ctx);
    if (this.config.readOnly && spec.kind !== "read") {
      throw new RefoldReadOnlyError(
        `refused write action "${spec.app}.${spec.action}": the client is readOnly, nothing was sent`,
        details,
      );
    }
    if (account !== undefined && (typeof account !== "string" || account.trim() === "" || /[\r\n]/.test(account))) {
      throw new RefoldConfigError("linkedAccountId must be a non-empty string", details);
    }
    if (account === undefined && this.config.auth.kind === "apiKey") {
      throw new RefoldConfigError(
        "no linked account: pass { linkedAccountId } to the call, use forAccount(id), or set linkedAccountId on the client",
        details,
      );
    }
    if (this.config.validate) {
      const problem = validateParams(params, spec.fields);
      if (problem) throw new RefoldLocalValidationError({ ...details, ...problem });
    }
    let body: string;
    try {
      // JSON.stringify drops keys whose value is undefined, as the API expects absent fields.
      body = JSON.stringify(params ?? {});
    } catch (error) {
      const reason = `cannot be serialized as JSON (${error instanceof Error ? error.message : String(error)})`;
      throw new RefoldLocalValidationError({ ...details, field: "", reason, cause: error });
    }
    const headers = account === undefined ? this.baseHeaders : { ...this.baseHeaders, linked_account_id: account };
    return { origin: this.config.origin, path: this.pathOf(spec), headers, body };
  }

  private async attempt(
    request: OutgoingRequest,
    ctx: ErrorContext,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const started = this.observed ? Date.now() : 0;
    if (this.observed) this.emitRequest(request, ctx, attempt);
    const response = await sendOnce(this.dispatcher, request, timeoutMs, signal, ctx);
    if (this.observed) {
      const requestId = response.headers["x-request-id"];
      this.emitResponse({
        app: ctx.app,
        action: ctx.action,
        attempt,
        status: response.status,
        durationMs: Date.now() - started,
        requestId: Array.isArray(requestId) ? requestId[0] : requestId,
      });
    }
    return interpretResponse(response.status, response.headers, response.text, ctx);
  }

  /** The drift check: a result that no longer fits its recorded shape is reported, or rejected. */
  private checkResult(spec: ActionSpec, data: unknown, ctx: ErrorContext): void {
    let shape = this.shapes.get(spec);
    if (shape === undefined) {
      shape = JSON.parse(spec.result as string) as ResultShape;
      this.shapes.set(spec, shape);
    }
    const problem = resultProblem(data, shape);
    if (problem === undefined) return;
    if (this.config.checkResults === "throw")
      throw new RefoldResultError({ ...callDetails(ctx), status: 200, body: data, attempts: 1, ...problem });
    safely(() =>
      this.config.logger?.warn?.("refold: a result does not fit its recorded shape", {
        app: spec.app,
        action: spec.action,
        path: problem.path,
        reason: problem.reason,
      }),
    );
  }

  private async waitForPause(signal: AbortSignal | undefined, ctx: ErrorContext): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, signal, () => abortError(ctx, signal));
  }

  private pathOf(spec: ActionSpec): string {
    let path = this.paths.get(spec);
    if (path === undefined) {
      path =
        `${this.config.basePath}/api/v2/integration-schema/${encodeSegment(spec.app)}` +
        `/actions/${encodeSegment(spec.action)}/execute`;
      this.paths.set(spec, path);
    }
    return path;
  }

  private emitRequest(request: OutgoingRequest, ctx: ErrorContext, attempt: number): void {
    const event = {
      app: ctx.app,
      action: ctx.action,
      attempt,
      method: "POST" as const,
      url: request.origin + request.path,
      headers: redactHeaders(request.headers, this.config.includeLinkedAccountId),
    };
    safely(() => this.config.logger?.debug?.("refold: request", { ...event }));
    safely(() => this.config.onRequest?.(event));
  }

  private emitResponse(event: Parameters<NonNullable<ResolvedOptions["onResponse"]>>[0]): void {
    safely(() => this.config.logger?.debug?.("refold: response", { ...event }));
    safely(() => this.config.onResponse?.(event));
  }
}

/** A hook or logger must never break a call. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Deliberately ignored: observability is best effort.
  }
}

function withAttempts<E extends RefoldError>(error: E, attempts: number): E {
  error.attempts = attempts;
  return error;
}

/** Anything unexpected (a bug, not a network fault) still reaches the caller as a RefoldError. */
function asRefoldError(error: unknown, ctx: ErrorContext): RefoldError {
  if (error instanceof RefoldError) return error;
  const message = ctx.scrubber.text(error instanceof Error ? error.message : String(error), ctx.account);
  return new RefoldError(`unexpected failure: ${message}`, { ...callDetails(ctx), cause: error });
}

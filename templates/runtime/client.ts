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
import { callDetails, interpretJson, interpretResponse, type ErrorContext, type ResponseHeaders } from "./response.js";
import { sessionTokenOf } from "./accounts.js";
import { resultProblem, type ResultShape } from "./results.js";
import { isRetryable, retryAfterOf, retryDelay, sleep, type RetryDelays } from "./retry.js";
import { abortError, sendOnce, type OutgoingRequest } from "./transport.js";
import type { ActionRunner, ActionSpec, CallOptions, SessionToken } from "./types.js";
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

const APPLICATIONS = "/api/v2/public/application";
const SESSION_TOKEN = "/api/v2/public/session-token";

/** What a response means: `data` (or the whole JSON), else a RefoldError. */
type Interpret = (status: number, headers: ResponseHeaders, text: string, ctx: ErrorContext) => unknown;

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

  /** True when the client refuses write actions locally (`readOnly: true`). */
  get readOnly(): boolean {
    return this.config.readOnly;
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
    const ctx = this.context(spec.app, spec.action, account);
    const request = this.prepare(spec, params, account, ctx);
    const kind = spec.kind === "read" ? "read" : "write";
    const data = await this.send(request, ctx, kind, options, interpretResponse);
    if (spec.result !== undefined && this.config.checkResults !== "off") this.checkResult(spec, data, ctx);
    return data;
  }

  /**
   * The org's apps as Refold lists them for one linked account (`GET /api/v2/public/application`): the raw
   * list, which the generated `connections()` reads for its configured apps.
   */
  async applications(linkedAccountId?: string, options?: CallOptions): Promise<unknown> {
    const account = options?.linkedAccountId ?? linkedAccountId ?? this.config.linkedAccountId;
    const ctx = this.context("refold", "connections", account);
    this.checkAccount(account, ctx);
    const headers = account === undefined ? this.baseHeaders : { ...this.baseHeaders, linked_account_id: account };
    const request = { method: "GET", origin: this.config.origin, path: `${this.config.basePath}${APPLICATIONS}`, headers } as const;
    return this.send(request, ctx, "read", options, interpretJson);
  }

  /**
   * A session token for one linked account (`POST /api/v2/public/session-token`), to hand to a browser or a
   * service that must not hold the API key. Needs an API key: a session token cannot mint another.
   */
  async sessionToken(linkedAccountId: string, options?: CallOptions & { forceRefresh?: boolean }): Promise<SessionToken> {
    const ctx = this.context("refold", "sessionToken", linkedAccountId);
    if (this.config.auth.kind !== "apiKey")
      throw new RefoldConfigError("sessionToken needs a client made with an API key: a session token cannot mint another", callDetails(ctx));
    this.checkAccount(linkedAccountId, ctx);
    const query = options?.forceRefresh === true ? "?force_refresh=true" : "";
    const request = {
      method: "POST",
      origin: this.config.origin,
      path: `${this.config.basePath}${SESSION_TOKEN}${query}`,
      headers: this.baseHeaders,
      body: JSON.stringify({ linked_account_id: linkedAccountId }),
    } as const;
    return sessionTokenOf(await this.send(request, ctx, "read", options, interpretJson), ctx);
  }

  private context(app: string, action: string, account: string | undefined): ErrorContext {
    return { app, action, account, showAccount: this.config.includeLinkedAccountId, scrubber: this.scrubber };
  }

  /** One request with retries: `kind` decides what may be retried, `interpret` what a response means. */
  private async send(
    request: OutgoingRequest,
    ctx: ErrorContext,
    kind: "read" | "write",
    options: CallOptions | undefined,
    interpret: Interpret,
  ): Promise<unknown> {
    const timeoutMs =
      options?.timeoutMs === undefined ? this.config.timeoutMs : checkTimeout(options.timeoutMs, "timeoutMs");
    const maxRetries =
      options?.maxRetries === undefined ? this.config.maxRetries : checkRetries(options.maxRetries, "maxRetries");
    const signal = options?.signal;
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.pausedUntil > 0) await this.waitForPause(signal, ctx);
        return await this.attempt(request, ctx, attempt, timeoutMs, signal, interpret);
      } catch (error) {
        const failure = asRefoldError(error, ctx);
        failure.attempts = attempt;
        if (attempt > maxRetries || !isRetryable(failure, kind, this.config.retryWrites)) throw failure;
        const delay = retryDelay(attempt, retryAfterOf(failure), this.delays);
        if (failure instanceof RefoldRateLimitError) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        this.config.logger?.warn?.("refold: retrying", {
          app: ctx.app,
          action: ctx.action,
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
    this.checkAccount(account, ctx);
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
    return { method: "POST", origin: this.config.origin, path: this.pathOf(spec), headers, body };
  }

  /** A linked account is a non-empty line, and one is needed with an API key (a session token names its own). */
  private checkAccount(account: string | undefined, ctx: ErrorContext): void {
    const details = callDetails(ctx);
    if (account !== undefined && (typeof account !== "string" || account.trim() === "" || /[\r\n]/.test(account))) {
      throw new RefoldConfigError("linkedAccountId must be a non-empty string", details);
    }
    if (account === undefined && this.config.auth.kind === "apiKey") {
      throw new RefoldConfigError(
        "no linked account: pass { linkedAccountId } to the call, use forAccount(id), or set linkedAccountId on the client",
        details,
      );
    }
  }

  private async attempt(
    request: OutgoingRequest,
    ctx: ErrorContext,
    attempt: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    interpret: Interpret,
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
    return interpret(response.status, response.headers, response.text, ctx);
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
      method: request.method,
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

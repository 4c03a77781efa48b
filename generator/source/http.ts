import { Agent, type Dispatcher } from "undici";
import { Semaphore } from "../util/concurrency.js";
import { BodyTooLarge, describeErrorBody, header, parseJsonBody, readText, type Failure } from "./body.js";
import type { ResolvedOptions } from "./options.js";
import { RateLimiter, realTiming, type Timing } from "./rate-limit.js";
import { isRetryableStatus, retryDelay } from "./retry.js";
import { clean, redact, scrub } from "./text.js";
import { failureDiagnostic } from "./errors.js";
import { CodegenError, ExitCode } from "../util/diagnostics.js";

/** The outcome of one GET: the parsed JSON, or why there is none (after every retry). */
export type Fetched = { ok: true; status: number; value: unknown } | { ok: false; failure: Failure };

/** One attempt's outcome; `retryable` failures are tried again while attempts remain. */
type Attempt =
  | { ok: true; status: number; value: unknown }
  | { ok: false; failure: Omit<Failure, "attempts">; retryable: boolean; retryAfter?: string };

/** Marks our own deadline as the abort reason, to tell it apart from any other abort. */
class Deadline extends Error {}

// undici's own timeouts, which only fire if its limits are reached before our deadline.
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
// Errors that are our own request's fault: trying again cannot help.
const PERMANENT_CODES = new Set(["UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED", "ERR_INVALID_URL"]);

/**
 * GETs JSON for one run: one keep-alive pool, bounded concurrency, a shared rate limiter, retries
 * with backoff, and a deadline per attempt that covers the body, not just the headers.
 */
export class JsonClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly slots: Semaphore;
  private readonly limiter: RateLimiter | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly timing: Timing = realTiming,
  ) {
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: options.concurrency,
        keepAliveTimeout: 10_000,
        connect: { timeout: options.timeoutMs },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
    this.slots = new Semaphore(options.concurrency);
    const limit = options.rateLimit;
    this.limiter = limit === false ? undefined : new RateLimiter(limit.perSecond, limit.burst, timing);
  }

  /** The absolute URL of a path under the base URL, as named in diagnostics. */
  url(path: string): string {
    return `${this.options.origin}${this.options.basePath}${path}`;
  }

  /** GETs `path` (under the base URL) and parses JSON, retrying transient failures; never throws for HTTP or network trouble. */
  async getJson(path: string): Promise<Fetched> {
    for (let attempt = 1; ; attempt += 1) {
      // A slot is held only while sending, not while backing off, so waiting retries do not starve others.
      const result = await this.slots.run(async () => {
        const arrived = await this.limiter?.acquire();
        try {
          return await this.attempt(path, arrived);
        } finally {
          arrived?.();
        }
      });
      if (result.ok) return result;
      if (!result.retryable || attempt > this.options.maxRetries) {
        return { ok: false, failure: { ...result.failure, attempts: attempt } };
      }
      const delay = retryDelay(attempt - 1, result.retryAfter, this.options);
      // A 429 means the server's bucket is empty for everyone: hold back every request, not just this one.
      if (result.failure.status === 429) this.limiter?.pause(delay);
      await this.timing.sleep(delay);
    }
  }

  /** Closes the pool (only if this client created it). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async attempt(path: string, arrived: (() => void) | undefined): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Deadline()), this.options.timeoutMs);
    let phase: "connect" | "body" = "connect";
    try {
      // dispatcher.request takes the path as is: a URL string would be normalized, turning an action id
      // such as ".." into a different endpoint.
      const response = await this.dispatcher.request({
        origin: this.options.origin,
        path: `${this.options.basePath}${path}`,
        method: "GET",
        headers: this.options.headers,
        signal: controller.signal,
      });
      // Headers are back, so the server has counted this request: the rate limiter may pace from here.
      arrived?.();
      phase = "body";
      return await this.read(response);
    } catch (error) {
      return this.failed(error, phase, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(response: Dispatcher.ResponseData): Promise<Attempt> {
    const { statusCode: status, headers } = response;
    const contentType = header(headers, "content-type");
    const text = await readText(response.body, this.options.maxResponseBytes);
    if (status >= 200 && status < 300) {
      if (this.options.secrets.some((secret) => text.includes(secret))) {
        // The lock must hold no secret: refuse an answer that echoes it rather than store it.
        const detail = "the answer contains the API key or session token; it was not kept";
        return { ok: false, failure: { code: "secret-in-answer", status, detail }, retryable: false };
      }
      const parsed = parseJsonBody(text, contentType);
      if (parsed.ok) return { ok: true, status, value: parsed.value };
      return { ok: false, failure: { code: "bad-json", status, detail: parsed.detail }, retryable: false };
    }
    const serverMessage = describeErrorBody(scrub(text, this.options.secrets), contentType);
    const reason = response.statusText ? ` ${clean(response.statusText, 60)}` : "";
    const failure: Omit<Failure, "attempts"> = { code: "http-status", status, detail: `HTTP ${status}${reason}` };
    if (serverMessage !== undefined) failure.serverMessage = serverMessage;
    const retryAfter = header(headers, "retry-after");
    return {
      ok: false,
      failure,
      retryable: isRetryableStatus(status),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }

  private failed(error: unknown, phase: "connect" | "body", signal: AbortSignal): Attempt {
    const during = phase === "body" ? " while reading the body" : "";
    if (signal.aborted && signal.reason instanceof Deadline) {
      const detail = `no complete answer within ${this.options.timeoutMs} ms${during}`;
      return { ok: false, failure: { code: "timeout", detail }, retryable: true };
    }
    if (error instanceof BodyTooLarge) {
      return { ok: false, failure: { code: "too-large", detail: error.message }, retryable: false };
    }
    const code = errorCode(error);
    const message = scrub(error instanceof Error ? error.message : String(error), this.options.secrets);
    const text = `${clean(message, 200)}${code === undefined ? "" : ` (${code})`}`;
    if (code !== undefined && TIMEOUT_CODES.has(code)) {
      return { ok: false, failure: { code: "timeout", detail: `timed out${during}: ${text}` }, retryable: true };
    }
    const detail =
      phase === "body" ? `the connection broke while reading the body: ${text}` : `request failed: ${text}`;
    return {
      ok: false,
      failure: { code: "network", detail },
      retryable: code === undefined || !PERMANENT_CODES.has(code),
    };
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // Some undici errors wrap the socket error that says what happened.
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? undefined : errorCode(cause);
}

/**
 * One JSON document from the API with a client of its own (init's questions about the org): its value, or a
 * CodegenError (exit 3) naming `what` failed, the URL and the status, with every secret removed.
 */
export async function fetchJson(options: ResolvedOptions, path: string, what: string): Promise<unknown> {
  const client = new JsonClient(options);
  try {
    const fetched = await client.getJson(path);
    if (fetched.ok) return fetched.value;
    const diagnostic = redact(failureDiagnostic(fetched.failure, { url: client.url(path), what }), options.secrets);
    throw new CodegenError(diagnostic.message, ExitCode.network, [diagnostic]);
  } finally {
    await client.close();
  }
}

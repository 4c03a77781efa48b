/** The client's options, their defaults (all in one block) and their validation. */

import { RefoldConfigError } from "./errors.js";
import { isBrowser } from "./platform.js";
import type { RefoldLimiter } from "./limiter.js";
import type { ResultCheck } from "./results.js";
import type { RefoldTelemetry } from "./telemetry.js";
import type { RefoldFetch } from "./transport-fetch.js";
import type { RefoldDispatcher } from "./transport-undici.js";

/** A logger such as `console` or pino; every method is optional and only ever sees redacted values. */
export interface RefoldLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

/** What `onRequest` sees before each attempt; secrets in `headers` are masked (`x-api-key: pk_***`). */
export interface RefoldRequestEvent {
  readonly app: string;
  readonly action: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What `onResponse` sees after each attempt that got an HTTP response. */
export interface RefoldResponseEvent {
  readonly app: string;
  readonly action: string;
  readonly attempt: number;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string | undefined;
}

/** Options of `createRefold` / `new RefoldClient`. */
export interface RefoldClientOptions {
  /** Server-side API key (`pk...` or `tk...`), sent as `x-api-key`. Give this or `sessionToken`. */
  apiKey?: string | undefined;
  /** A session token scoped to one linked account, sent as `Authorization: Bearer`. */
  sessionToken?: string | undefined;
  /** Default "https://app.refold.ai". */
  baseUrl?: string | undefined;
  /** The linked account used when neither the call nor `forAccount` names one. */
  linkedAccountId?: string | undefined;
  /** Deadline of each attempt, from connecting to the last body byte, in milliseconds; a retry gets a fresh one. Default 60000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Also retry write actions after 5xx, timeouts and broken connections (they may have run). Default false. */
  retryWrites?: boolean;
  /** First backoff step in ms (full jitter, doubling per retry). Default 500. */
  retryBaseDelayMs?: number;
  /** Cap on one backoff step in ms. Default 8000. */
  retryMaxDelayMs?: number;
  /** Cap on the wait a server's `Retry-After` may impose, in ms. Default 60000. */
  retryAfterMaxMs?: number;
  /**
   * Node: an undici Dispatcher (`MockAgent`, a `ProxyAgent`, your own `Agent`). Default on Node: one keep-alive
   * undici Agent per client, from your project's undici.
   */
  dispatcher?: RefoldDispatcher;
  /**
   * A `fetch` to send with (a proxy's, a test double, an instrumented one). Default: undici on Node, the
   * platform's `fetch` everywhere else (Bun, Deno, Cloudflare Workers, edge runtimes, browsers).
   */
  fetch?: RefoldFetch;
  /**
   * Decides when each attempt may be sent, ahead of the server's 429s: `localLimiter(...)` for one process,
   * `redisLimiter(...)` for a fleet sharing one limit. Default: none (a 429 pauses this client's calls).
   */
  limiter?: RefoldLimiter;
  /**
   * A span per call and the client's metrics on OpenTelemetry: `openTelemetry({ tracer, meter })`. Default: none
   * (nothing of OpenTelemetry is imported either way).
   */
  telemetry?: RefoldTelemetry;
  /** Refuse write actions locally, before any request. Default false. */
  readOnly?: boolean;
  /** Check parameters against the action's fields before sending. Default true. */
  validate?: boolean;
  /**
   * Check each result against the shape recorded for its action (refold.results.json): "warn" tells the
   * logger, "throw" rejects with RefoldResultError, naming the action and the JSON path. Default "off".
   */
  checkResults?: ResultCheck;
  /** Extra headers sent with every call (they cannot replace the authentication headers). */
  headers?: Record<string, string>;
  /** Receives debug lines for requests and responses, and warnings for retries. */
  logger?: RefoldLogger;
  /** Called before each attempt. Exceptions thrown by the hook are ignored. */
  onRequest?: (event: RefoldRequestEvent) => void;
  /** Called after each attempt that got a response. Exceptions thrown by the hook are ignored. */
  onResponse?: (event: RefoldResponseEvent) => void;
  /** Show the linked account id in errors, logs and hooks (hidden by default). Default false. */
  includeLinkedAccountId?: boolean;
  /** Allow an API key in a browser, where anyone could read it (a session token is always allowed). Default false. */
  dangerouslyAllowBrowser?: boolean;
}

/** Options after validation, with every default applied. */
export interface ResolvedOptions {
  readonly auth: { readonly kind: "apiKey" | "sessionToken"; readonly secret: string };
  readonly origin: string;
  /** Any path of `baseUrl` (e.g. behind a proxy), without a trailing slash. */
  readonly basePath: string;
  readonly linkedAccountId: string | undefined;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryWrites: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryAfterMaxMs: number;
  readonly dispatcher: RefoldDispatcher | undefined;
  readonly fetch: RefoldFetch | undefined;
  readonly limiter: RefoldLimiter | undefined;
  readonly telemetry: RefoldTelemetry | undefined;
  readonly readOnly: boolean;
  readonly validate: boolean;
  readonly checkResults: ResultCheck;
  readonly headers: Readonly<Record<string, string>>;
  readonly logger: RefoldLogger | undefined;
  readonly onRequest: ((event: RefoldRequestEvent) => void) | undefined;
  readonly onResponse: ((event: RefoldResponseEvent) => void) | undefined;
  readonly includeLinkedAccountId: boolean;
}

const DEFAULT_BASE_URL = "https://app.refold.ai";
// Every option, checked against RefoldClientOptions by the compiler: one missing or extra is a type error.
const OPTION_NAMES: { readonly [K in keyof Required<RefoldClientOptions>]: true } = {
  apiKey: true,
  sessionToken: true,
  baseUrl: true,
  linkedAccountId: true,
  timeoutMs: true,
  maxRetries: true,
  retryWrites: true,
  retryBaseDelayMs: true,
  retryMaxDelayMs: true,
  retryAfterMaxMs: true,
  dispatcher: true,
  fetch: true,
  limiter: true,
  telemetry: true,
  readOnly: true,
  validate: true,
  checkResults: true,
  headers: true,
  logger: true,
  onRequest: true,
  onResponse: true,
  includeLinkedAccountId: true,
  dangerouslyAllowBrowser: true,
};
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(Object.keys(OPTION_NAMES));

/** Validates the options and applies the defaults; throws RefoldConfigError naming the bad option. */
export function resolveOptions(options: RefoldClientOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw configError("options must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw configError(`unknown option "${key}"`);
  }
  // A session token is scoped to one linked account and meant for a browser; an API key never is.
  refuseBrowser(
    options.dangerouslyAllowBrowser === true || (options.apiKey === undefined && options.sessionToken !== undefined),
  );
  const url = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  return {
    auth: resolveAuth(options),
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ""),
    linkedAccountId: optionalId(options.linkedAccountId, "linkedAccountId"),
    timeoutMs: checkTimeout(options.timeoutMs ?? 60_000, "timeoutMs"),
    maxRetries: checkRetries(options.maxRetries ?? 2, "maxRetries"),
    retryWrites: options.retryWrites === true,
    retryBaseDelayMs: checkDelay(options.retryBaseDelayMs ?? 500, "retryBaseDelayMs"),
    retryMaxDelayMs: checkDelay(options.retryMaxDelayMs ?? 8_000, "retryMaxDelayMs"),
    retryAfterMaxMs: checkDelay(options.retryAfterMaxMs ?? 60_000, "retryAfterMaxMs"),
    ...checkTransport(options),
    limiter: checkLimiter(options.limiter),
    telemetry: checkTelemetry(options.telemetry),
    readOnly: options.readOnly === true,
    validate: options.validate !== false,
    checkResults: checkResultCheck(options.checkResults),
    headers: checkHeaders(options.headers ?? {}),
    logger: options.logger,
    onRequest: checkHook(options.onRequest, "onRequest"),
    onResponse: checkHook(options.onResponse, "onResponse"),
    includeLinkedAccountId: options.includeLinkedAccountId === true,
  };
}

/** At most one of `dispatcher` (undici) and `fetch`, each the right kind of thing. */
function checkTransport(options: RefoldClientOptions): Pick<ResolvedOptions, "dispatcher" | "fetch"> {
  const { dispatcher, fetch } = options;
  if (dispatcher !== undefined && fetch !== undefined) throw configError("give either dispatcher or fetch, not both");
  if (dispatcher !== undefined && typeof (dispatcher as { request?: unknown } | null)?.request !== "function") {
    throw configError("dispatcher must be an undici Dispatcher (an Agent, Pool or MockAgent)");
  }
  if (fetch !== undefined && typeof fetch !== "function") throw configError("fetch must be a function");
  return { dispatcher, fetch };
}

function checkLimiter(limiter: RefoldLimiter | undefined): RefoldLimiter | undefined {
  const shape = limiter as Partial<RefoldLimiter> | null | undefined;
  if (limiter !== undefined && (typeof shape?.acquire !== "function" || typeof shape.rateLimited !== "function")) {
    throw configError(
      "limiter must be a limiter: localLimiter(...), redisLimiter(...), or an object with acquire and rateLimited",
    );
  }
  return limiter;
}

function checkTelemetry(telemetry: RefoldTelemetry | undefined): RefoldTelemetry | undefined {
  if (telemetry !== undefined && typeof (telemetry as Partial<RefoldTelemetry> | null)?.run !== "function") {
    throw configError("telemetry must be openTelemetry({ tracer, meter }) or an object with run");
  }
  return telemetry;
}

function checkResultCheck(value: unknown): ResultCheck {
  if (value === undefined) return "off";
  if (value === "off" || value === "warn" || value === "throw") return value;
  throw configError(`checkResults must be "off", "warn" or "throw", got ${JSON.stringify(value)}`);
}

/** A RefoldConfigError raised while creating the client (no app or action yet). */
export function configError(message: string): RefoldConfigError {
  return new RefoldConfigError(`Refold client: ${message}`);
}

function resolveAuth(options: RefoldClientOptions): ResolvedOptions["auth"] {
  const { apiKey, sessionToken } = options;
  if (apiKey !== undefined && sessionToken !== undefined) {
    throw configError("give either apiKey or sessionToken, not both");
  }
  if (apiKey !== undefined) return { kind: "apiKey", secret: checkSecret(apiKey, "apiKey") };
  if (sessionToken !== undefined) return { kind: "sessionToken", secret: checkSecret(sessionToken, "sessionToken") };
  throw configError(
    "missing credentials: pass apiKey (e.g. process.env.REFOLD_API_KEY) or sessionToken; both are undefined",
  );
}

function checkSecret(value: unknown, name: string): string {
  // Never echo the value: it is a credential.
  if (typeof value !== "string" || value.trim() === "") throw configError(`${name} must be a non-empty string`);
  if (/[\r\n]/.test(value)) throw configError(`${name} must not contain line breaks`);
  return value.trim();
}

/** Validates a linked account id given as an option; undefined stays undefined. */
export function optionalId(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw configError(`${name} must be a non-empty string`);
  if (/[\r\n]/.test(value)) throw configError(`${name} must not contain line breaks`);
  return value;
}

function parseBaseUrl(value: unknown): URL {
  if (typeof value !== "string") throw configError("baseUrl must be a string");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(`baseUrl is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError("baseUrl must be an http(s) URL");
  if (url.username || url.password) throw configError("baseUrl must not contain credentials");
  return url;
}

/** Validates a deadline: a positive, finite number of milliseconds. */
export function checkTimeout(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw configError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}

/** Validates a retry count: a whole number, 0 or more. */
export function checkRetries(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw configError(`${name} must be a whole number, 0 or more`);
  }
  return value;
}

function checkDelay(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw configError(`${name} must be a number of milliseconds, 0 or more`);
  }
  return value;
}

// RFC 9110's token: the characters a header name may use.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaders(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object") throw configError("headers must be an object");
  const out: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) {
    // Checked here so that every transport refuses the same headers, before anything is sent.
    if (!HEADER_NAME.test(name))
      throw configError(`header name ${JSON.stringify(name)} is not a valid HTTP header name`);
    if (typeof header !== "string") throw configError(`header "${name}" must be a string`);
    if (/[\r\n\0]/.test(header)) throw configError(`header "${name}" must not contain line breaks or NUL`);
    out[name.toLowerCase()] = header;
  }
  return out;
}

function checkHook<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== "function") throw configError(`${name} must be a function`);
  return value;
}

/** In a browser the API key would be readable by anyone; refuse unless explicitly allowed. */
function refuseBrowser(allowed: boolean): void {
  if (!allowed && isBrowser()) {
    throw configError(
      "refusing to run in a browser with an API key, which would be exposed; keep it on your server and give " +
        "the browser a session token (sessionToken(linkedAccountId) on the server), or pass dangerouslyAllowBrowser: true",
    );
  }
}

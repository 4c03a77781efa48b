/** The client's options: one table holds each option's check and default, and gives the resolved options. */

import { configError, type RefoldConfigError, type RefoldErrorDetails } from "./errors.js";
import { isBrowser } from "./platform.js";
import type { RefoldLimiter } from "./limiter.js";
import type { ResultCheck } from "./results.js";
import type { RefoldTelemetry } from "./telemetry.js";
import { hasOwn } from "./validate.js";
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

/** Checks one option's value (undefined when not given), naming the option, and gives what the client keeps. */
type Check<T> = (value: unknown, name: string) => T;

/** A boolean option that is off unless given as true. */
const flag = (value: unknown): boolean => value === true;

/** `check` when a value is given; undefined stays undefined. */
const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, name) =>
    value === undefined ? undefined : check(value, name);

/** Taken as given: checked where it is used, or not at all. */
const unchecked =
  <T>(): Check<T | undefined> =>
  (value) =>
    value as T | undefined;

/** A numeric option (see NUMBERS) and its default. */
const number =
  (fallback: number): Check<number> =>
  (value, name) =>
    checkNumber(name as NumberOption, value ?? fallback);

/** A function (no methods named), or an object with these methods; `what` says what fits. */
function callable<T>(what: string, ...methods: string[]): Check<T | undefined> {
  return (value, name) => {
    const fits =
      methods.length === 0
        ? typeof value === "function"
        : methods.every((method) => typeof (value as Record<string, unknown> | null)?.[method] === "function");
    if (value !== undefined && !fits) throw configError(`${name} must be ${what}`);
    return value as T | undefined;
  };
}

// Every option with its check, default included: the compiler holds the keys to RefoldClientOptions, so a key
// that is not here is an unknown option, and the resolved options are the table's results.
const OPTIONS = {
  apiKey: optional((value, name) => checkLine(value, name).trim()),
  sessionToken: optional((value, name) => checkLine(value, name).trim()),
  baseUrl: (value) => parseBaseUrl(value ?? "https://app.refold.ai"),
  linkedAccountId: optional(checkLine),
  timeoutMs: number(60_000),
  maxRetries: number(2),
  retryWrites: flag,
  retryBaseDelayMs: number(500),
  retryMaxDelayMs: number(8_000),
  retryAfterMaxMs: number(60_000),
  // Checked by node.ts, which alone takes one (a browser bundle refuses any).
  dispatcher: unchecked<RefoldDispatcher>(),
  fetch: callable<RefoldFetch>("a function"),
  limiter: callable<RefoldLimiter>(
    "localLimiter(...), redisLimiter(...), or an object with acquire and rateLimited",
    "acquire",
    "rateLimited",
  ),
  telemetry: callable<RefoldTelemetry>("openTelemetry({ tracer, meter }) or an object with run", "run"),
  readOnly: flag,
  validate: (value) => value !== false,
  checkResults: checkResultCheck,
  headers: checkHeaders,
  // Each of its methods is optional, and every call to it is guarded (observe.ts).
  logger: unchecked<RefoldLogger>(),
  onRequest: callable<(event: RefoldRequestEvent) => void>("a function"),
  onResponse: callable<(event: RefoldResponseEvent) => void>("a function"),
  includeLinkedAccountId: flag,
  dangerouslyAllowBrowser: flag,
} satisfies { readonly [K in keyof Required<RefoldClientOptions>]: Check<unknown> };

/** Options after validation, with every default applied: what each option's check gave. */
export type ResolvedOptions = { readonly [K in keyof typeof OPTIONS]: ReturnType<(typeof OPTIONS)[K]> };

/** Validates the options and applies the defaults; throws RefoldConfigError naming the bad option. */
export function resolveOptions(options: RefoldClientOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw configError("options must be an object");
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!hasOwn(OPTIONS, key)) throw configError(`unknown option "${key}"`);
  }
  const { apiKey, sessionToken } = options;
  // A session token is scoped to one linked account and meant for a browser; an API key never is.
  if (options.dangerouslyAllowBrowser !== true && (apiKey !== undefined || sessionToken === undefined) && isBrowser()) {
    throw configError(
      "an API key in a browser can be read by anyone: give the browser a session token made on your server " +
        "(sessionToken(linkedAccountId)), or pass dangerouslyAllowBrowser: true",
    );
  }
  for (const [one, other] of [
    ["apiKey", "sessionToken"],
    ["dispatcher", "fetch"],
  ] as const) {
    if (options[one] !== undefined && options[other] !== undefined)
      throw configError(`give either ${one} or ${other}, not both`);
  }
  if (apiKey === undefined && sessionToken === undefined) {
    throw configError(
      "missing credentials: pass apiKey (e.g. process.env.REFOLD_API_KEY) or sessionToken; both are undefined",
    );
  }
  const resolved: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(OPTIONS)) resolved[name] = (check as Check<unknown>)(given[name], name);
  return resolved as ResolvedOptions;
}

/** What is sent in a header (a credential, a linked account id) must be: a non-empty line. */
export function isLine(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && !/[\r\n]/.test(value);
}

/** The error for a value that is no line (`isLine`); it never echoes the value, which may be a credential. */
export function lineError(name: string, details?: RefoldErrorDetails): RefoldConfigError {
  return configError(`${name} must be a non-empty string without line breaks`, details);
}

/** Validates a line (`isLine`) given as an option. */
export function checkLine(value: unknown, name: string): string {
  if (!isLine(value)) throw lineError(name);
  return value;
}

const WHOLE = "a whole number, 0 or more";
const MS = "a number of milliseconds, 0 or more";
/** What each numeric option must be: the client's, a call's (timeoutMs, maxRetries), a pager's limits. */
const NUMBERS = {
  timeoutMs: "a number of milliseconds above 0",
  maxRetries: WHOLE,
  retryBaseDelayMs: MS,
  retryMaxDelayMs: MS,
  retryAfterMaxMs: MS,
  maxPages: WHOLE,
  maxItems: WHOLE,
};
type NumberOption = keyof typeof NUMBERS;

/** Validates a numeric option (see NUMBERS); `details` name the call it was given to. */
export function checkNumber(name: NumberOption, value: unknown, details?: RefoldErrorDetails): number {
  const rule = NUMBERS[name];
  const fits =
    typeof value === "number" &&
    (rule === WHOLE ? Number.isInteger(value) : Number.isFinite(value)) &&
    (name === "timeoutMs" ? value > 0 : value >= 0);
  if (!fits) throw configError(`${name} must be ${rule}`, details);
  return value;
}

/** Where calls go: the URL's origin, and any path of it (e.g. behind a proxy) without a trailing slash. */
function parseBaseUrl(value: unknown): { readonly origin: string; readonly basePath: string } {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    // Refused below, as every value that is not an http(s) URL.
  }
  if (typeof value !== "string" || url === undefined || !/^https?:$/.test(url.protocol)) {
    throw configError(`baseUrl must be an http(s) URL such as "https://app.refold.ai"`);
  }
  if (url.username || url.password) throw configError("baseUrl must not contain credentials");
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

function checkResultCheck(value: unknown): ResultCheck {
  if (value === undefined) return "off";
  if (value === "off" || value === "warn" || value === "throw") return value;
  throw configError(`checkResults must be "off", "warn" or "throw", got ${JSON.stringify(value)}`);
}

// RFC 9110's token: the characters a header name may use.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaders(value: unknown = {}): Readonly<Record<string, string>> {
  if (value === null || typeof value !== "object") throw configError("headers must be an object");
  const out: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) {
    // Checked here so that every transport refuses the same headers, before anything is sent.
    if (!HEADER_NAME.test(name)) throw configError(`${JSON.stringify(name)} is not a valid HTTP header name`);
    if (typeof header !== "string" || /[\r\n\0]/.test(header)) {
      throw configError(`header "${name}" must be a string without line breaks or NUL`);
    }
    out[name.toLowerCase()] = header;
  }
  return out;
}

import type { Dispatcher } from "undici";
import { LINKED_ACCOUNT_PLACEHOLDER } from "../config/types.js";
import { CodegenError, ExitCode, type Diagnostic } from "../util/diagnostics.js";
import { CONFIG_DEFAULTS } from "../config/defaults.js";

/** How the discovery client authenticates: a server-side API key, or a session token scoped to one linked account. */
export type SourceAuth = { apiKey: string } | { sessionToken: string };

/** A progress report: after an app's list (`done: 0`) and after each of its actions. */
export interface ProgressEvent {
  app: string;
  action?: string;
  done: number;
  total: number;
}

/** Options of the discovery client (`pullApps`, `listActions`). */
export interface SourceOptions {
  /** e.g. `https://app.refold.ai`; a path prefix and a trailing slash are allowed. */
  baseUrl: string;
  auth: SourceAuth;
  /** Sent as header `linked_account_id`; required with `apiKey` auth, unused with a session token. */
  linkedAccountId?: string;
  /** The requests are about the org, not one linked account (listing the org's linked accounts): none is needed. */
  orgLevel?: boolean;
  /** Requests in flight at once; default 8. */
  concurrency?: number;
  /** Client-side token bucket shared by every request; default Refold's documented 20/s, burst 5; `false` lifts it. */
  rateLimit?: { perSecond: number; burst: number } | false;
  /** Retries after the first attempt on 429, 5xx, timeouts and connection errors; default 4. */
  maxRetries?: number;
  /** Deadline of one attempt, headers and body included; default 30000. */
  timeoutMs?: number;
  /** Backoff base of the first retry; default 250. */
  retryBaseDelayMs?: number;
  /** Upper bound of one backoff delay; default 8000. */
  retryMaxDelayMs?: number;
  /** Upper bound of a server's `Retry-After`; default 60000. */
  retryAfterMaxMs?: number;
  /** Largest response body accepted, in bytes; default 32 MiB. */
  maxResponseBytes?: number;
  /** An undici dispatcher to use instead of the run's own keep-alive pool (which is then not created or closed). */
  dispatcher?: Dispatcher;
  onProgress?: (event: ProgressEvent) => void;
}

/** SourceOptions with every default applied and every value checked. */
export interface ResolvedOptions {
  /** Origin plus path prefix without trailing slash, e.g. `https://app.refold.ai` or `http://127.0.0.1:4010/proxy`. */
  origin: string;
  basePath: string;
  headers: Record<string, string>;
  /** Strings that must never leave this module: removed from every diagnostic. */
  secrets: string[];
  concurrency: number;
  rateLimit: { perSecond: number; burst: number } | false;
  maxRetries: number;
  timeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  retryAfterMaxMs: number;
  maxResponseBytes: number;
  dispatcher: Dispatcher | undefined;
  onProgress: ((event: ProgressEvent) => void) | undefined;
}

const DEFAULTS = {
  concurrency: CONFIG_DEFAULTS.concurrency,
  rateLimit: CONFIG_DEFAULTS.rateLimit,
  maxRetries: 4,
  timeoutMs: 30_000,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 8_000,
  retryAfterMaxMs: 60_000,
  maxResponseBytes: 32 * 1024 * 1024,
} as const;

// Node's timers fire at once (with a warning) beyond this.
const MAX_TIMER = 2 ** 31 - 1;

// Control characters would be rejected by undici anyway, but with a message we do not control.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Applies defaults and validates; throws a usage CodegenError (exit 2) naming the bad option, never its secret value. */
export function resolveOptions(options: SourceOptions): ResolvedOptions {
  const problems: Diagnostic[] = [];
  const bad = (message: string, hint?: string) =>
    problems.push({ severity: "error", code: "bad-option", message, ...(hint === undefined ? {} : { hint }) });

  const base = parseBaseUrl(options.baseUrl, bad);
  const { headers, secrets } = authHeaders(options, bad);
  const resolved: ResolvedOptions = {
    origin: base?.origin ?? "",
    basePath: base?.basePath ?? "",
    headers,
    secrets,
    concurrency: numberIn("concurrency", options.concurrency ?? DEFAULTS.concurrency, bad, { min: 1, integer: true }),
    rateLimit: rateLimit(options.rateLimit, bad),
    maxRetries: numberIn("maxRetries", options.maxRetries ?? DEFAULTS.maxRetries, bad, { integer: true }),
    timeoutMs: numberIn("timeoutMs", options.timeoutMs ?? DEFAULTS.timeoutMs, bad, { above: true }),
    retryBaseDelayMs: numberIn("retryBaseDelayMs", options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs, bad),
    retryMaxDelayMs: numberIn("retryMaxDelayMs", options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs, bad),
    retryAfterMaxMs: numberIn("retryAfterMaxMs", options.retryAfterMaxMs ?? DEFAULTS.retryAfterMaxMs, bad),
    maxResponseBytes: numberIn("maxResponseBytes", options.maxResponseBytes ?? DEFAULTS.maxResponseBytes, bad, {
      above: true,
    }),
    dispatcher: options.dispatcher,
    onProgress: options.onProgress,
  };
  if (problems.length > 0) {
    const message =
      problems.length === 1 ? (problems[0]?.message ?? "") : `${problems.length} connection settings are wrong`;
    throw new CodegenError(message, ExitCode.usage, problems);
  }
  return resolved;
}

function parseBaseUrl(value: unknown, bad: (m: string, h?: string) => void) {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    bad(`baseUrl is not a URL: ${JSON.stringify(String(value)).slice(0, 200)}`, "e.g. https://app.refold.ai");
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") bad(`baseUrl must be http or https, got ${url.protocol}`);
  // Credentials in the URL would end up in every diagnostic that names a URL.
  if (url.username !== "" || url.password !== "") bad("baseUrl must not contain credentials");
  if (url.search !== "" || url.hash !== "") bad("baseUrl must not contain a query or a fragment");
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

function authHeaders(options: SourceOptions, bad: (m: string, h?: string) => void) {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "refold-codegen" };
  const auth = options.auth as Partial<{ apiKey: unknown; sessionToken: unknown }> | undefined;
  const apiKey = auth?.apiKey;
  const token = auth?.sessionToken;
  if ((apiKey === undefined) === (token === undefined)) {
    bad("auth needs exactly one of apiKey or sessionToken", "set REFOLD_API_KEY or REFOLD_SESSION_TOKEN");
    return { headers, secrets: [] };
  }
  const secret = apiKey ?? token;
  const what = apiKey !== undefined ? "the API key" : "the session token";
  if (typeof secret !== "string" || secret.trim() === "") {
    bad(`${what} is empty`, "set REFOLD_API_KEY or REFOLD_SESSION_TOKEN");
    return { headers, secrets: [] };
  }
  if (CONTROL.test(secret) || secret.trim() !== secret) {
    bad(`${what} contains whitespace or control characters`, "check for a stray newline in the environment variable");
  }
  if (typeof apiKey === "string") {
    headers["x-api-key"] = apiKey;
    const account = options.linkedAccountId;
    if (options.orgLevel === true && account === undefined) {
      // Nothing to send: the endpoint is keyed by the API key alone.
    } else if (typeof account !== "string" || account === "") {
      bad(
        "linkedAccountId is required with API key auth",
        "set linkedAccountId in the config or REFOLD_LINKED_ACCOUNT_ID",
      );
    } else if (account === LINKED_ACCOUNT_PLACEHOLDER) {
      bad(
        `linkedAccountId is "${account}", the placeholder \`refold-codegen init\` writes when it knows no linked account`,
        "set linkedAccountId in refold.codegen.json (or REFOLD_LINKED_ACCOUNT_ID) to one of your org's linked accounts",
      );
    } else if (CONTROL.test(account)) {
      bad("linkedAccountId contains control characters");
    } else {
      headers["linked_account_id"] = account;
    }
  } else {
    headers["authorization"] = `Bearer ${secret}`;
  }
  return { headers, secrets: [secret] };
}

function rateLimit(value: SourceOptions["rateLimit"], bad: (m: string) => void): ResolvedOptions["rateLimit"] {
  if (value === false) return false;
  const { perSecond, burst } = value ?? DEFAULTS.rateLimit;
  return {
    perSecond: numberIn("rateLimit.perSecond", perSecond, bad, { above: true }),
    burst: numberIn("rateLimit.burst", burst, bad, { min: 1, integer: true }),
  };
}

/** Checks a numeric option; timers reject values beyond MAX_TIMER, so every option is held to it. */
function numberIn(
  name: string,
  value: number,
  bad: (m: string) => void,
  { min = 0, above = false, integer = false }: { min?: number; above?: boolean; integer?: boolean } = {},
): number {
  const fits =
    typeof value === "number" &&
    (above ? value > min : value >= min) &&
    value <= MAX_TIMER &&
    (!integer || Number.isInteger(value));
  if (!fits) {
    const kind = integer ? "an integer" : "a number";
    bad(`${name} must be ${kind} ${above ? ">" : ">="} ${min} and <= ${MAX_TIMER}, got ${String(value)}`);
  }
  return value;
}

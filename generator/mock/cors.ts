// CORS for the emulator, so that a browser app in development (a page on http://localhost:5173 calling the
// emulator on http://127.0.0.1:4010 with a session token) can call it.
//
// Refold does not document its own CORS policy; this is the emulator's, chosen to let development work and to
// fail loudly where a browser would:
// - Allowed origins: by default any http(s) origin whose host is loopback (`localhost` and `*.localhost`,
//   127.0.0.0/8, `[::1]`), on any port; or the configured list (`corsOrigins`, `--cors-origin`), where `"*"`
//   allows any origin and `"loopback"` stands for the default set.
// - `Access-Control-Allow-Origin` is always the request's own `Origin`, never `*`, with `Vary: Origin`.
//   No `Access-Control-Allow-Credentials`: the API authenticates with headers, never cookies, so a page
//   needs no credentials mode (a fetch with `credentials: "include"` is refused by the browser).
// - A preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered here, before any
//   latency, fault, rate limit or credential check: 204 with the allowed methods and headers for an allowed
//   origin, 403 without any CORS header for another one (the browser then blocks the call).
// - Every other answer, errors and faults included, carries `Access-Control-Allow-Origin` for an allowed
//   origin and exposes `retry-after`, `x-request-id` and the answer's other headers to the page.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CodegenError, ExitCode } from "../util/diagnostics.js";
import { credentialsOf, scrubCredentials, splitTarget } from "./incoming.js";

/** The methods the API uses. */
const ALLOW_METHODS = "GET, POST, OPTIONS";
/** What the generated client sends, allowed when a preflight does not say which headers it wants. */
const CLIENT_HEADERS = "authorization, x-api-key, linked_account_id, content-type, accept, user-agent";
/** Headers browser code must be able to read on every answer. */
const ALWAYS_EXPOSED = ["retry-after", "x-request-id"];
/** Response headers a page can read without being told (the CORS-safelisted ones), and `vary`. */
const NOT_EXPOSED = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
  "vary",
]);
/** Ten minutes: a browser skips the preflight for that long (Chromium caps it at two hours). */
const MAX_AGE_SECONDS = 600;
/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** Which origins may call the emulator from a browser. */
export interface CorsPolicy {
  /** The value of `Access-Control-Allow-Origin` for this `Origin` header, or undefined: no CORS headers. */
  allow(origin: string | undefined): string | undefined;
  /** What it allows, for the command's start line: `loopback origins`, `any origin` or the list. */
  readonly description: string;
}

/**
 * Builds the policy from `corsOrigins`: undefined means loopback origins only; `[]` allows none. Throws a
 * usage error naming every entry that is not `*`, `loopback` or an origin (`scheme://host[:port]`).
 */
export function corsPolicy(origins: readonly string[] | undefined): CorsPolicy {
  const list = origins ?? ["loopback"];
  const problems: string[] = [];
  const exact = new Set<string>();
  let any = false;
  let loopback = false;
  for (const entry of list) {
    const text = typeof entry === "string" ? entry.trim() : "";
    if (text === "*") any = true;
    else if (text.toLowerCase() === "loopback") loopback = true;
    else {
      const origin = normalizeOrigin(text);
      if (origin === undefined) problems.push(JSON.stringify(entry));
      else exact.add(origin);
    }
  }
  if (problems.length > 0) {
    const want = 'an origin such as "http://localhost:5173", "loopback" or "*"';
    throw new CodegenError(
      `CORS origins: ${problems.join(", ")} ${problems.length === 1 ? "is" : "are"} not ${want}`,
      ExitCode.usage,
    );
  }
  const parts = [...(loopback ? ["loopback origins"] : []), ...exact];
  const description = any ? "any origin" : parts.length === 0 ? "no origin" : parts.join(", ");
  return {
    description,
    allow(origin) {
      if (origin === undefined || origin === "") return undefined;
      if (any) return origin;
      if (exact.has(normalizeOrigin(origin) ?? "")) return origin;
      return loopback && isLoopbackOrigin(origin) ? origin : undefined;
    },
  };
}

/** True for a CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(req: IncomingMessage): boolean {
  return (
    req.method === "OPTIONS" &&
    req.headers.origin !== undefined &&
    req.headers["access-control-request-method"] !== undefined
  );
}

/**
 * One CORS preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`). Preflights are not API
 * calls: they are answered before latency, faults, the rate limit and credentials, take no request id, and
 * are logged in `server.preflights` (and `logPreflight`) instead of `requests`, `stats` and `log`.
 */
export interface PreflightLogEntry {
  /** 1-based arrival order among preflights. */
  seq: number;
  /** Decoded path, without query. */
  path: string;
  /** The request target as received, query included (credentials redacted). */
  url: string;
  /** The page's origin, as sent. */
  origin: string;
  /** `Access-Control-Request-Method`. */
  requestMethod: string;
  /** `Access-Control-Request-Headers`, lower-case. */
  requestHeaders: string[];
  /** Whether the origin is allowed: 204 with CORS headers, else 403 without any. */
  allowed: boolean;
  status: 204 | 403;
}

/** What answering a preflight decided. */
interface PreflightAnswer {
  status: 204 | 403;
  headers: Record<string, string>;
  body: string;
  /** The header names the preflight asked for, lower-case. */
  requestedHeaders: string[];
}

/**
 * Answers a preflight at once and returns its log entry: no latency, fault, rate-limit token, credentials or
 * request id, since browsers send preflights on their own, without credentials, and may cache them (counting
 * them would make a test's counts depend on the browser). `secrets` are scrubbed from the logged URL.
 */
export function answerPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  policy: CorsPolicy,
  seq: number,
  secrets: readonly (string | undefined)[],
): PreflightLogEntry {
  req.resume(); // a preflight has no body; drain anything sent anyway
  const answer = preflightAnswer(req, policy);
  // Keys are never sent on a preflight, but a page may have put one in the URL.
  const target = { ...splitTarget(req.url ?? "/"), url: req.url ?? "/", headers: {}, body: undefined };
  scrubCredentials(target, credentialsOf(req, secrets));
  sendPreflight(res, answer);
  return {
    seq,
    path: target.path,
    url: target.url,
    origin: req.headers.origin ?? "",
    requestMethod: req.headers["access-control-request-method"] ?? "",
    requestHeaders: answer.requestedHeaders,
    allowed: answer.status === 204,
    status: answer.status,
  };
}

/** The answer to a preflight under a policy. */
function preflightAnswer(req: IncomingMessage, policy: CorsPolicy): PreflightAnswer {
  const origin = req.headers.origin ?? "";
  const requestedHeaders = headerList(req.headers["access-control-request-headers"]);
  const vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
  const allowed = policy.allow(origin);
  if (allowed === undefined) {
    const body = `Origin ${origin} is not allowed to call the Refold emulator (it allows ${policy.description}); add it with --cors-origin or startMock({ corsOrigins })\n`;
    return { status: 403, headers: { "content-type": "text/plain; charset=utf-8", vary }, body, requestedHeaders };
  }
  const headers: Record<string, string> = {
    "access-control-allow-origin": allowed,
    "access-control-allow-methods": ALLOW_METHODS,
    "access-control-allow-headers": requestedHeaders.length > 0 ? requestedHeaders.join(", ") : CLIENT_HEADERS,
    "access-control-max-age": String(MAX_AGE_SECONDS),
    vary,
  };
  // Chromium's Private Network Access: a page on a public origin asks before calling a loopback server.
  if (req.headers["access-control-request-private-network"] === "true") {
    headers["access-control-allow-private-network"] = "true";
  }
  return { status: 204, headers, body: "", requestedHeaders };
}

/** Writes a preflight's answer. */
function sendPreflight(res: ServerResponse, answer: PreflightAnswer): void {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(answer.body, "utf8");
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) });
  res.end(body);
}

/**
 * Sets the CORS headers every API answer carries (before its own headers are known): `Vary: Origin` always,
 * and `Access-Control-Allow-Origin` when the request's origin is allowed.
 */
export function setAnswerCors(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): void {
  res.setHeader("vary", "Origin");
  const allowed = policy.allow(req.headers.origin);
  if (allowed !== undefined) res.setHeader("access-control-allow-origin", allowed);
}

/**
 * Just before an answer is written: exposes `retry-after`, `x-request-id` and the answer's other headers that
 * a page could not read otherwise (an injected fault's `headers`, `allow`), when the origin is allowed.
 */
export function exposeHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  if (!res.hasHeader("access-control-allow-origin") || res.headersSent) return;
  const names = new Set(ALWAYS_EXPOSED);
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (!NOT_EXPOSED.has(lower) && !lower.startsWith("access-control-")) names.add(lower);
  }
  res.setHeader("access-control-expose-headers", [...names].join(", "));
}

/** `scheme://host[:port]` as browsers serialize it, or undefined when the text is not an origin. */
function normalizeOrigin(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.origin === "null" ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** An http(s) origin whose host is `localhost` (or under it), in 127.0.0.0/8, or `[::1]`. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  // URL has already turned 127.1, 0x7f.0.0.1 and the like into dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A comma-separated header list, lower-cased, without empty or malformed names or repeats. */
function headerList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value.split(",").map((name) => name.trim().toLowerCase());
  return [...new Set(names.filter((name) => TOKEN.test(name)))];
}

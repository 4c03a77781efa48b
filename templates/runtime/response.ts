/**
 * Turns one HTTP response into the action's `data` or a RefoldError: the single place that knows
 * Refold's success envelopes and its error envelope.
 */

import {
  RefoldActionError,
  RefoldAppAuthError,
  RefoldAuthenticationError,
  RefoldHttpError,
  RefoldNotFoundError,
  RefoldRateLimitError,
  RefoldResponseError,
  RefoldServerError,
  RefoldValidationError,
  type RefoldError,
  type RefoldErrorDetails,
} from "./errors.js";
import type { Scrubber } from "./redact.js";
import { parseRetryAfter } from "./retry.js";
import { isPlainObject } from "./validate.js";

/**
 * One response header by its lower-case name. A lookup rather than a copy: a successful call reads none, and
 * on some platforms (Bun) merely touching a fetch Response's headers costs more than the rest of the client.
 */
export type ResponseHeaders = (name: "retry-after" | "x-request-id") => string | undefined;

/** What errors built from a response need to know about the call. */
export interface ErrorContext {
  readonly app: string;
  readonly action: string;
  /** The call's linked account: scrubbed from server text unless `showAccount`. */
  readonly account: string | undefined;
  readonly showAccount: boolean;
  readonly scrubber: Scrubber;
}

// Error pages can be large HTML documents; the head is enough to diagnose.
const MAX_TEXT_BODY = 4096;
const NOT_JSON: unique symbol = Symbol("not json");

/** The details every error about this call shares (the linked account only when opted in). */
export function callDetails(ctx: ErrorContext): RefoldErrorDetails {
  return ctx.showAccount
    ? { app: ctx.app, action: ctx.action, linkedAccountId: ctx.account }
    : { app: ctx.app, action: ctx.action };
}

/** The action's `data` for a successful envelope; throws the matching RefoldError otherwise. */
export const interpretResponse = reader(true);

/** The parsed JSON of a 2xx answer that is not an action's envelope (the account endpoints); a RefoldError otherwise. */
export const interpretJson = reader(false);

function reader(envelope: boolean) {
  return (status: number, headers: ResponseHeaders, text: string, ctx: ErrorContext): unknown => {
    const parsed = parseJson(text);
    if (status >= 200 && status < 300 && parsed !== NOT_JSON) {
      if (!envelope) return parsed;
      // The hot path: no copies, no scrubbing, just the data.
      if (isPlainObject(parsed) && (parsed["node_status"] === "Success" || parsed["success"] === true)) {
        return parsed["data"];
      }
    }
    throw responseError(status, headers, text, parsed, ctx);
  };
}

/**
 * The error of a response that is no success: an HTTP error status (the class by status family, the fields of
 * Refold's error envelope), a body that is not JSON or not an envelope, or a failed action.
 */
function responseError(
  status: number,
  headers: ResponseHeaders,
  text: string,
  parsed: unknown,
  ctx: ErrorContext,
): RefoldError {
  // Scrub first, so that no field read from the body (code, type, message, id) can carry a secret.
  const body = ctx.scrubber.value(parsed === NOT_JSON ? text.slice(0, MAX_TEXT_BODY) : parsed, ctx.account);
  const fields = isPlainObject(body) ? body : {};
  const header = headers("x-request-id");
  const requestId = stringField(fields, "request_id") ?? (header && ctx.scrubber.text(header, ctx.account));
  const details = { ...callDetails(ctx), status, body, requestId };
  if (status < 200 || status >= 300) {
    const errorCode = stringField(fields, "error_code") ?? stringField(fields, "error");
    const httpErrorType = stringField(fields, "http_error_type");
    const message = stringField(fields, "message") ?? (typeof body === "string" ? body.slice(0, 200) : "");
    const label = [errorCode ?? httpErrorType, message].filter(Boolean).join(": ");
    const retryAfterMs = parseRetryAfter(headers("retry-after"));
    const ErrorClass = httpErrorClass(status);
    return new ErrorClass(`HTTP ${status}${label ? ` ${label}` : ""}`, {
      ...details,
      errorCode,
      httpErrorType,
      retryAfterMs,
    });
  }
  if (parsed === NOT_JSON) {
    const what = text.length === 0 ? "is empty" : "is not valid JSON (malformed or truncated)";
    return new RefoldResponseError(`the response body ${what}`, details);
  }
  if (!("node_status" in fields || "success" in fields)) {
    return new RefoldResponseError("the response is not a Refold envelope (no node_status or success)", details);
  }
  const nodeStatus = stringField(fields, "node_status");
  const httpStatus = typeof fields["http_status"] === "number" ? fields["http_status"] : undefined;
  const data = fields["data"];
  const reason = describeFailure(data) ?? stringField(fields, "message");
  const summary = [
    nodeStatus === undefined ? "the action failed" : `the action failed with node_status "${nodeStatus}"`,
    httpStatus === undefined ? "" : ` (app answered HTTP ${httpStatus})`,
    reason ? `: ${reason}` : "",
  ].join("");
  const ErrorClass = httpStatus === 401 || httpStatus === 403 ? RefoldAppAuthError : RefoldActionError;
  return new ErrorClass(summary, { ...details, nodeStatus, httpStatus, data });
}

function httpErrorClass(status: number): typeof RefoldHttpError {
  if (status === 400 || status === 422) return RefoldValidationError;
  if (status === 401 || status === 403) return RefoldAuthenticationError;
  if (status === 404) return RefoldNotFoundError;
  if (status === 429) return RefoldRateLimitError;
  if (status >= 500) return RefoldServerError;
  return RefoldHttpError;
}

/** A short human reason from a provider's error payload, when it has an obvious one. */
function describeFailure(data: unknown): string | undefined {
  if (typeof data === "string") return data.slice(0, 200);
  if (!isPlainObject(data)) return undefined;
  const text = stringField(data, "message") ?? stringField(data, "error");
  return text?.slice(0, 200);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

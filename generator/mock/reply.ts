import { STATUS_CODES } from "node:http";

/** An answer computed before anything is written, so that faults can delay, stall or truncate it. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Refold's error envelope, as its docs publish it (`field_path` is ours: the exact path of a bad field). */
export interface ErrorEnvelope {
  status_code: number;
  http_error_type: string;
  error_code: string;
  message: string;
  request_id: string;
  field_path?: (string | number)[];
}

const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON answer. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** The `http_error_type` Refold pairs with a status. */
export function httpErrorType(status: number): string {
  const known: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
  };
  return known[status] ?? (STATUS_CODES[status] ?? "ERROR").toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** An error answer in Refold's envelope. */
export function errorReply(
  requestId: string,
  status: number,
  errorCode: string,
  message: string,
  extra: { headers?: Record<string, string>; fieldPath?: (string | number)[] } = {},
): Reply {
  const envelope: ErrorEnvelope = {
    status_code: status,
    http_error_type: httpErrorType(status),
    error_code: errorCode,
    message,
    request_id: requestId,
  };
  if (extra.fieldPath !== undefined) envelope.field_path = extra.fieldPath;
  return jsonReply(status, envelope, extra.headers);
}

/** Request ids shaped like the UUIDs Refold sends, but counting, so test output is reproducible. */
export function requestIdFor(seq: number): string {
  return `00000000-0000-4000-8000-${seq.toString(16).padStart(12, "0")}`;
}

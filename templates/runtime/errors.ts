/**
 * Every error the runtime rejects with. All extend RefoldError; none ever holds the API key, the
 * session token or a full header value (the client scrubs server text before it reaches here).
 */

/** What every RefoldError knows about the failed call. */
export interface RefoldErrorDetails {
  app?: string;
  action?: string;
  status?: number | undefined;
  body?: unknown;
  requestId?: string | undefined;
  attempts?: number;
  /** Only set when the client was created with `includeLinkedAccountId: true`. */
  linkedAccountId?: string | undefined;
  cause?: unknown;
}

/** Base class of every error the Refold runtime throws or rejects with. */
export class RefoldError extends Error {
  override readonly name: string = "RefoldError";
  /** The app slug, or "" for errors raised while creating the client. */
  readonly app: string;
  /** The action id, or "" for errors raised while creating the client. */
  readonly action: string;
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** The parsed response body (or its text when it was not JSON), secrets scrubbed. */
  readonly body: unknown;
  /** Refold's `request_id` (or the `x-request-id` header), for support tickets. */
  readonly requestId: string | undefined;
  /** How many HTTP attempts were made before giving up (0 when refused locally). */
  attempts: number;
  /** The linked account, present only when the caller opted in. */
  readonly linkedAccountId: string | undefined;

  constructor(message: string, details: RefoldErrorDetails = {}) {
    const app = details.app ?? "";
    const action = details.action ?? "";
    super(app ? `${app}.${action}: ${message}` : message);
    this.app = app;
    this.action = action;
    this.status = details.status;
    this.body = details.body;
    this.requestId = details.requestId;
    this.attempts = details.attempts ?? 0;
    this.linkedAccountId = details.linkedAccountId;
    // Set like a native `cause` (non-enumerable) without needing the ES2022 lib in users' tsconfig.
    if (details.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: details.cause, configurable: true, writable: true });
    }
  }

  /** A plain, secret-free object for structured logs (the cause is reduced to its name and code). */
  toJSON(): Record<string, unknown> {
    const cause = (this as { cause?: unknown }).cause;
    return {
      ...(this as object),
      name: this.name,
      message: this.message,
      ...(cause instanceof Error ? { cause: { name: cause.name, code: (cause as { code?: unknown }).code } } : {}),
    };
  }
}

/** Fields read from Refold's error envelope `{ status_code, http_error_type, error_code | error, message }`. */
export interface RefoldHttpErrorDetails extends RefoldErrorDetails {
  errorCode?: string | undefined;
  httpErrorType?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** The API answered with an HTTP error status (the generic class; subclasses per status family). */
export class RefoldHttpError extends RefoldError {
  override readonly name: string = "RefoldHttpError";
  /** The envelope's `error_code` (or `error`), e.g. "VALIDATION_ERROR". */
  readonly errorCode: string | undefined;
  /** The envelope's `http_error_type`, e.g. "BAD_REQUEST". */
  readonly httpErrorType: string | undefined;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: RefoldHttpErrorDetails) {
    super(message, details);
    this.errorCode = details.errorCode;
    this.httpErrorType = details.httpErrorType;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** HTTP 400 or 422: the API rejected the parameters. */
export class RefoldValidationError extends RefoldHttpError {
  override readonly name: string = "RefoldValidationError";
}

/** HTTP 401 or 403: bad API key or session token, or no access to the linked account. */
export class RefoldAuthenticationError extends RefoldHttpError {
  override readonly name: string = "RefoldAuthenticationError";
}

/** HTTP 404: unknown app, action or linked account. */
export class RefoldNotFoundError extends RefoldHttpError {
  override readonly name: string = "RefoldNotFoundError";
}

/** HTTP 429: rate limited (after the allowed retries). `retryAfterMs` says when to try again. */
export class RefoldRateLimitError extends RefoldHttpError {
  override readonly name: string = "RefoldRateLimitError";
}

/** HTTP 5xx: Refold or the connected app failed. */
export class RefoldServerError extends RefoldHttpError {
  override readonly name: string = "RefoldServerError";
}

/** Details of an action that ran but did not succeed. */
export interface RefoldActionErrorDetails extends RefoldErrorDetails {
  nodeStatus?: string | undefined;
  httpStatus?: number | undefined;
  data?: unknown;
}

/** HTTP 200 whose `node_status` is not "Success" (or `success: false`): the action itself failed. */
export class RefoldActionError extends RefoldError {
  override readonly name: string = "RefoldActionError";
  /** The envelope's `node_status`, e.g. "Errored" (undefined for `{ success: false }`). */
  readonly nodeStatus: string | undefined;
  /** The connected app's own HTTP status (`http_status`), when reported. */
  readonly httpStatus: number | undefined;
  /** The envelope's `data`, usually the connected app's error payload. */
  readonly data: unknown;

  constructor(message: string, details: RefoldActionErrorDetails) {
    super(message, details);
    this.nodeStatus = details.nodeStatus;
    this.httpStatus = details.httpStatus;
    this.data = details.data;
  }
}

/**
 * The action ran and the connected app refused the linked account's credentials (it answered 401 or 403):
 * the account has not connected the app, or must connect it again. Refold answers both the same way;
 * `forAccount(id).connections()` tells which (`connected`, `reauthRequired`).
 */
export class RefoldAppAuthError extends RefoldActionError {
  override readonly name: string = "RefoldAppAuthError";
}

/** An attempt's deadline (`timeoutMs`) passed before the whole response, body included, arrived. */
export class RefoldTimeoutError extends RefoldError {
  override readonly name: string = "RefoldTimeoutError";
  /** The deadline that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, details: RefoldErrorDetails & { timeoutMs: number }) {
    super(message, details);
    this.timeoutMs = details.timeoutMs;
  }
}

/** The caller's AbortSignal cancelled the call. */
export class RefoldAbortError extends RefoldError {
  override readonly name: string = "RefoldAbortError";
}

/** The connection failed or broke before a response arrived. */
export class RefoldConnectionError extends RefoldError {
  override readonly name: string = "RefoldConnectionError";
  /** The network error code, e.g. "ECONNREFUSED" or "UND_ERR_SOCKET". */
  readonly code: string | undefined;
  /** True when connecting failed, so the request certainly never reached the server. */
  readonly beforeSend: boolean;

  constructor(message: string, details: RefoldErrorDetails & { code?: string | undefined; beforeSend: boolean }) {
    super(message, details);
    this.code = details.code;
    this.beforeSend = details.beforeSend;
  }
}

/** The response body was malformed, truncated, not JSON, or not a Refold envelope. */
export class RefoldResponseError extends RefoldError {
  override readonly name: string = "RefoldResponseError";
  /** True when the body broke off mid-way (the connection failed while it was read). */
  readonly truncated: boolean;

  constructor(message: string, details: RefoldErrorDetails & { truncated?: boolean }) {
    super(message, details);
    this.truncated = details.truncated ?? false;
  }
}

/**
 * The client's `limiter` gave no turn: its store (Redis) failed, or no turn came before the call's deadline.
 * Nothing was sent, and it is never retried.
 */
export class RefoldLimiterError extends RefoldError {
  override readonly name: string = "RefoldLimiterError";
}

/** The client options (or a call's options) are invalid; raised locally, nothing was sent. */
export class RefoldConfigError extends RefoldError {
  override readonly name: string = "RefoldConfigError";
}

/** A RefoldConfigError: a call's when `details` name its app and action, else one raised while creating the client. */
export function configError(message: string, details?: RefoldErrorDetails): RefoldConfigError {
  return new RefoldConfigError(details ? message : `Refold client: ${message}`, details);
}

/** A write action was refused because the client is `readOnly`; nothing was sent. */
export class RefoldReadOnlyError extends RefoldError {
  override readonly name: string = "RefoldReadOnlyError";
}

/** The parameters do not match the action's fields; raised locally, nothing was sent. */
export class RefoldLocalValidationError extends RefoldError {
  override readonly name: string = "RefoldLocalValidationError";
  /** The offending field's path, e.g. "email" or "properties.tags[2]". */
  readonly field: string;
  /** Why the value was refused, e.g. "is required". */
  readonly reason: string;

  constructor(details: RefoldErrorDetails & { field: string; reason: string }) {
    super(details.field ? `parameter "${details.field}" ${details.reason}` : `parameters ${details.reason}`, details);
    this.field = details.field;
    this.reason = details.reason;
  }
}

/**
 * The action succeeded, but its `data` does not fit the result shape recorded for it (client option
 * `checkResults: "throw"`): the provider changed what it answers. `body` holds the data.
 */
export class RefoldResultError extends RefoldError {
  override readonly name: string = "RefoldResultError";
  /** Where the data stops fitting, as a JSON path (`$.results[0].id`). */
  readonly path: string;
  /** Why, e.g. "is missing" or "expected string, got number". */
  readonly reason: string;

  constructor(details: RefoldErrorDetails & { path: string; reason: string }) {
    super(`the result does not fit its recorded shape: ${details.path} ${details.reason}`, details);
    this.path = details.path;
    this.reason = details.reason;
  }
}

/**
 * A declared pagination could not go on (`.pages()`, `.all()`): a cursor came back that an earlier page had
 * already answered, a page answered the same items as the page before, or the items were not an array. The
 * iteration stops rather than loop forever; `page` is the 1-based number of the page that showed it.
 */
export class RefoldPaginationError extends RefoldError {
  override readonly name: string = "RefoldPaginationError";
  /** The 1-based number of the page whose answer stopped the iteration. */
  readonly page: number;

  constructor(message: string, details: RefoldErrorDetails & { page: number }) {
    super(`${message} (page ${details.page})`, details);
    this.page = details.page;
  }
}

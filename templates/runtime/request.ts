/**
 * Builds the client's requests, checking locally everything that can be checked before one is sent: read-only
 * mode, the linked account, the parameters, JSON. The one place that knows Refold's paths and headers.
 */

import { RefoldConfigError, RefoldLocalValidationError, RefoldReadOnlyError } from "./errors.js";
import type { ResolvedOptions } from "./options.js";
import { userAgent } from "./platform.js";
import { callDetails, type ErrorContext } from "./response.js";
import type { OutgoingRequest } from "./transport.js";
import type { ActionSpec } from "./types.js";
import { validateParams } from "./validate.js";

const APPLICATIONS = "/api/v2/public/application";
const SESSION_TOKEN = "/api/v2/public/session-token";

/**
 * One URL path segment. `.` and `..` are encoded too: a proxy or framework that normalizes URLs would
 * otherwise read them as relative steps and call another endpoint.
 */
function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

/** True when `value` can be sent as a linked account id: a non-empty line. */
export function isAccountId(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && !/[\r\n]/.test(value);
}

/** The requests of one client. */
export class RequestBuilder {
  private readonly config: ResolvedOptions;
  private readonly baseHeaders: Readonly<Record<string, string>>;
  private readonly paths = new WeakMap<ActionSpec, string>();

  constructor(config: ResolvedOptions) {
    this.config = config;
    const agent = userAgent();
    const auth: Record<string, string> =
      config.auth.kind === "apiKey"
        ? { "x-api-key": config.auth.secret }
        : { authorization: `Bearer ${config.auth.secret}` };
    this.baseHeaders = {
      ...(agent === undefined ? {} : { "user-agent": agent }),
      ...config.headers,
      accept: "application/json",
      "content-type": "application/json",
      ...auth,
    };
  }

  /** An action's execute: `POST .../actions/<id>/execute` with the params as its JSON body. */
  execute(
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
    return {
      method: "POST",
      origin: this.config.origin,
      path: this.pathOf(spec),
      headers: this.headersFor(account),
      body,
    };
  }

  /** The org's apps as Refold lists them for one linked account (`GET /api/v2/public/application`). */
  applications(account: string | undefined, ctx: ErrorContext): OutgoingRequest {
    this.checkAccount(account, ctx);
    return {
      method: "GET",
      origin: this.config.origin,
      path: `${this.config.basePath}${APPLICATIONS}`,
      headers: this.headersFor(account),
    };
  }

  /** A session token for one linked account (`POST /api/v2/public/session-token`); needs an API key. */
  sessionToken(account: string, forceRefresh: boolean, ctx: ErrorContext): OutgoingRequest {
    if (this.config.auth.kind !== "apiKey")
      throw new RefoldConfigError(
        "sessionToken needs a client made with an API key: a session token cannot mint another",
        callDetails(ctx),
      );
    this.checkAccount(account, ctx);
    return {
      method: "POST",
      origin: this.config.origin,
      path: `${this.config.basePath}${SESSION_TOKEN}${forceRefresh ? "?force_refresh=true" : ""}`,
      headers: this.baseHeaders,
      body: JSON.stringify({ linked_account_id: account }),
    };
  }

  private headersFor(account: string | undefined): Readonly<Record<string, string>> {
    return account === undefined ? this.baseHeaders : { ...this.baseHeaders, linked_account_id: account };
  }

  /** A linked account is a non-empty line, and one is needed with an API key (a session token names its own). */
  private checkAccount(account: string | undefined, ctx: ErrorContext): void {
    if (account !== undefined && !isAccountId(account)) {
      throw new RefoldConfigError("linkedAccountId must be a non-empty string", callDetails(ctx));
    }
    if (account === undefined && this.config.auth.kind === "apiKey") {
      throw new RefoldConfigError(
        "no linked account: pass { linkedAccountId } to the call, use forAccount(id), or set linkedAccountId on the client",
        callDetails(ctx),
      );
    }
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
}

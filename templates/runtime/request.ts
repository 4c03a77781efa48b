/**
 * Builds the client's requests, checking locally everything that can be checked before one is sent: read-only
 * mode, the linked account, the parameters, JSON. The one place that knows Refold's paths and headers.
 */

import { configError, RefoldLocalValidationError, RefoldReadOnlyError } from "./errors.js";
import { isLine, lineError, type ResolvedOptions } from "./options.js";
import { userAgent } from "./platform.js";
import { callDetails, type ErrorContext } from "./response.js";
import type { OutgoingRequest } from "./transport.js";
import type { ActionSpec } from "./types.js";
import { validateParams } from "./validate.js";

/**
 * One URL path segment. `.` and `..` are encoded too: a proxy or framework that normalizes URLs would
 * otherwise read them as relative steps and call another endpoint.
 */
function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

/** The requests of one client. */
export class RequestBuilder {
  private readonly config: ResolvedOptions;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly paths = new WeakMap<ActionSpec, string>();

  constructor(config: ResolvedOptions) {
    this.config = config;
    const agent = userAgent();
    const { apiKey, sessionToken } = config;
    this.headers = {
      ...(agent === undefined ? {} : { "user-agent": agent }),
      ...config.headers,
      accept: "application/json",
      "content-type": "application/json",
      ...(apiKey === undefined ? { authorization: `Bearer ${sessionToken}` } : { "x-api-key": apiKey }),
    };
  }

  /** An action's execute: `POST .../actions/<id>/execute` with the params as its JSON body. */
  execute(
    spec: ActionSpec,
    params: object | undefined,
    account: string | undefined,
    ctx: ErrorContext,
  ): OutgoingRequest {
    if (this.config.readOnly && spec.kind !== "read") {
      throw new RefoldReadOnlyError(
        "refused: the client is readOnly and this action writes; nothing was sent",
        callDetails(ctx),
      );
    }
    this.checkAccount(account, ctx);
    const problem = this.config.validate ? validateParams(params, spec.fields) : undefined;
    if (problem) throw new RefoldLocalValidationError({ ...callDetails(ctx), ...problem });
    let body: string;
    try {
      // JSON.stringify drops keys whose value is undefined, as the API expects absent fields.
      body = JSON.stringify(params ?? {});
    } catch (error) {
      const reason = `cannot be serialized as JSON (${error instanceof Error ? error.message : String(error)})`;
      throw new RefoldLocalValidationError({ ...callDetails(ctx), field: "", reason, cause: error });
    }
    let path = this.paths.get(spec);
    if (path === undefined) {
      path = `/api/v2/integration-schema/${encodeSegment(spec.app)}/actions/${encodeSegment(spec.action)}/execute`;
      this.paths.set(spec, path);
    }
    return this.request("POST", path, account, body);
  }

  /** The org's apps as Refold lists them for one linked account (`GET /api/v2/public/application`). */
  applications(account: string | undefined, ctx: ErrorContext): OutgoingRequest {
    this.checkAccount(account, ctx);
    return this.request("GET", "/api/v2/public/application", account);
  }

  /** A session token for one linked account (`POST /api/v2/public/session-token`); needs an API key. */
  sessionToken(account: string, forceRefresh: boolean, ctx: ErrorContext): OutgoingRequest {
    if (this.config.apiKey === undefined) {
      const message = "sessionToken needs a client made with an API key: a session token cannot mint another";
      throw configError(message, callDetails(ctx));
    }
    this.checkAccount(account, ctx);
    // The account goes in the body; no linked_account_id header.
    const path = `/api/v2/public/session-token${forceRefresh ? "?force_refresh=true" : ""}`;
    return this.request("POST", path, undefined, JSON.stringify({ linked_account_id: account }));
  }

  /** A request to `path` under baseUrl, for `account` (the linked_account_id header) when there is one. */
  private request(method: "GET" | "POST", path: string, account: string | undefined, body?: string): OutgoingRequest {
    const { origin, basePath } = this.config.baseUrl;
    const headers = account === undefined ? this.headers : { ...this.headers, linked_account_id: account };
    return { method, origin, path: basePath + path, headers, ...(body === undefined ? {} : { body }) };
  }

  /** A linked account is a non-empty line, and one is needed with an API key (a session token names its own). */
  private checkAccount(account: string | undefined, ctx: ErrorContext): void {
    if (account !== undefined) {
      if (!isLine(account)) throw lineError("linkedAccountId", callDetails(ctx));
    } else if (this.config.apiKey !== undefined) {
      throw configError(
        "no linked account: pass { linkedAccountId } to the call, use forAccount(id), or set linkedAccountId on the client",
        callDetails(ctx),
      );
    }
  }
}

import type { Field } from "../model/types.js";
import type { Catalog, CatalogApp } from "./catalog.js";
import { appName, executeData, MOCK_TIME } from "./data.js";
import type { RouteKind } from "./faults.js";

/** Whether a linked account has connected an app: yes, yes but its credentials expired, or not at all. */
export type MockConnection = "connected" | "expired" | "missing";
import { errorReply, jsonReply, type Reply } from "./reply.js";
import { MockInputError } from "./paged.js";
import { seededShuffle } from "./shuffle.js";
import { isPlainObject, validateBody } from "./validate.js";
import { compareCodeUnits } from "../util/stable-json.js";

/** A recognized endpoint, with its decoded path parameters. */
export type Route =
  | { kind: "list"; app: string }
  | { kind: "schema" | "execute"; app: string; action: string }
  | { kind: "applications" }
  | { kind: "linkedAccounts" }
  | { kind: "sessionToken" };

/** What a handler needs beyond the route: who is calling and what they sent. */
export interface RouteContext {
  method: string;
  requestId: string;
  account: string;
  /** The request body as text ("" when there was none). */
  bodyText: string;
  catalog: Catalog;
  /** Seed for shuffled action lists; undefined answers them in stored order. */
  shuffleSeed: number | undefined;
  /** The org's linked account ids, in order. */
  accounts: readonly string[];
  /** `?force_refresh=true` on the request. */
  forceRefresh: boolean;
  /** Whether the caller's linked account has connected an app. */
  connection: (account: string, app: string) => MockConnection;
  /** Mints a session token for a linked account (`force`: a new one even if it has one). */
  mint: (account: string, force: boolean) => string;
  /** The answer set for an action (setAnswer) or its recorded result shape's data; undefined: the echo. */
  answerOf: (app: string, action: string) => ((body: unknown, account: string) => unknown) | undefined;
}

const METHODS: Record<RouteKind, string> = {
  list: "GET",
  schema: "GET",
  execute: "POST",
  applications: "GET",
  linkedAccounts: "GET",
  sessionToken: "POST",
};

/** Recognizes the endpoints from decoded path segments (without the leading empty one). */
export function parseRoute(segments: readonly string[]): Route | undefined {
  const [api, version, area, slug, actions, action, execute, ...rest] = segments;
  if (api !== "api" || version !== "v2" || rest.length > 0) return undefined;
  if (area === "public" && actions === undefined) {
    if (slug === "application") return { kind: "applications" };
    if (slug === "linked-account") return { kind: "linkedAccounts" };
    if (slug === "session-token") return { kind: "sessionToken" };
  }
  if (area !== "integration-schema" || slug === undefined || actions !== "actions") return undefined;
  if (action === undefined) return { kind: "list", app: slug };
  if (execute === undefined) return { kind: "schema", app: slug, action };
  return execute === "execute" ? { kind: "execute", app: slug, action } : undefined;
}

/** Answers an authenticated request to a recognized endpoint. */
export function routeReply(route: Route, context: RouteContext): Reply {
  const { requestId } = context;
  const allowed = METHODS[route.kind];
  if (context.method !== allowed) {
    const message = `Method ${context.method} not allowed; use ${allowed}`;
    return errorReply(requestId, 405, "SERVER_ERROR", message, { headers: { allow: allowed } });
  }
  if (route.kind === "applications") return jsonReply(200, applications(context));
  if (route.kind === "sessionToken") return sessionToken(context);
  if (route.kind === "linkedAccounts") return jsonReply(200, linkedAccounts(context.accounts));
  const app = context.catalog.apps.get(route.app);
  if (app === undefined) {
    return errorReply(requestId, 404, "SERVER_ERROR", `Application app_type '${route.app}' not found`);
  }
  if (route.kind === "list") {
    const entries =
      context.shuffleSeed === undefined ? app.entries : seededShuffle(app.entries, context.shuffleSeed, app.slug);
    return jsonReply(200, entries);
  }
  const action = app.actions.get(route.action);
  if (action === undefined) {
    return errorReply(requestId, 404, "SERVER_ERROR", `Action ${route.action} not found in Application ${app.slug}`);
  }
  if (route.kind === "schema") return jsonReply(200, action.payload);
  return execute(app, route.action, action.fields, context);
}

/** `POST .../execute`: parse, validate against the normalized fields, answer deterministic data. */
function execute(
  app: CatalogApp,
  actionId: string,
  fields: readonly Field[] | undefined,
  context: RouteContext,
): Reply {
  const { requestId } = context;
  let body: unknown = {};
  // An empty body means "no parameters", which is what a client sends for an action without fields.
  if (context.bodyText.trim() !== "") {
    try {
      body = JSON.parse(context.bodyText);
    } catch {
      return errorReply(requestId, 400, "VALIDATION_ERROR", "Request body is not valid JSON");
    }
  }
  const problem =
    fields !== undefined
      ? validateBody(body, fields)
      : isPlainObject(body)
        ? undefined
        : { message: "Request body must be a JSON object", path: [] };
  if (problem !== undefined) {
    return errorReply(requestId, 400, "VALIDATION_ERROR", problem.message, { fieldPath: problem.path });
  }
  const connection = context.connection(context.account, app.slug);
  if (connection !== "connected") return notConnected(app.slug, connection);
  const answer = context.answerOf(app.slug, actionId);
  let data: unknown;
  try {
    data =
      answer !== undefined ? answer(body, context.account) : executeData(app.slug, actionId, context.account, body);
  } catch (error) {
    // A paginated action's bad cursor or page number: Refold's 400 for a parameter it refuses.
    if (error instanceof MockInputError) return errorReply(requestId, 400, "VALIDATION_ERROR", error.message);
    throw error;
  }
  return jsonReply(200, { node_status: "Success", data, http_status: 200 });
}

/** `GET /api/v2/public/application`: every served app, connected or not for the caller's linked account. */
function applications(context: RouteContext): unknown[] {
  const slugs = [...context.catalog.apps.keys()].sort(compareCodeUnits);
  return slugs.map((slug) => {
    const connection = context.connection(context.account, slug);
    const connected = connection !== "missing";
    const accounts = connected
      ? [
          {
            identifier: context.account,
            connectedAt: MOCK_TIME,
            status: connection === "expired" ? "expired" : "active",
            auth_type: "oauth2",
          },
        ]
      : [];
    return {
      slug,
      name: appName(slug),
      auth_type: "oauth2",
      tags: [],
      connected,
      reauth_required: connection === "expired",
      connected_accounts: accounts,
    };
  });
}

/**
 * What Refold's docs say happens when the account has not connected the app, or its credentials expired: "a
 * credential or auth failure from the provider", a failed action carrying the provider's 401.
 */
function notConnected(slug: string, connection: MockConnection): Reply {
  const message =
    connection === "missing"
      ? `The linked account has not connected ${slug}`
      : `The linked account's ${slug} credentials expired: it must connect again`;
  return jsonReply(200, { node_status: "Errored", http_status: 401, data: { message } });
}

/** `POST /api/v2/public/session-token` with `{ linked_account_id }`: a token the emulator then accepts for that account. */
function sessionToken(context: RouteContext): Reply {
  let body: unknown;
  try {
    body = JSON.parse(context.bodyText || "null");
  } catch {
    body = undefined;
  }
  const account = (body as { linked_account_id?: unknown } | null)?.linked_account_id;
  if (typeof account !== "string" || account.trim() === "")
    return errorReply(context.requestId, 400, "VALIDATION_ERROR", "Required parameter 'linked_account_id' is missing");
  const token = context.mint(account, context.forceRefresh);
  return jsonReply(200, { token, refresh_token: `${token}-refresh`, expires_in: 86_400, refresh_expires_in: 604_800 });
}

/** `GET /api/v2/public/linked-account`: the org's linked accounts, in the documented page shape (one page). */
function linkedAccounts(accounts: readonly string[]): unknown {
  const docs = accounts.map((id) => ({ account_id: id, name: id, environment: "test", associated_org: "mock-org" }));
  const page = { totalDocs: docs.length, limit: Math.max(docs.length, 10), totalPages: 1, page: 1, pagingCounter: 1 };
  return { docs, ...page, hasPrevPage: false, hasNextPage: false, prevPage: null, nextPage: null };
}

import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenBucket } from "../../generator/mock/rate-limit.js";
import { sendReply, type Reply } from "../helpers/replies.js";

export type { Reply } from "../helpers/replies.js";

/** What the server saw of one request. */
export interface SeenRequest {
  method: string;
  /** The path as sent on the wire, still percent-encoded. */
  rawPath: string;
  /** The path decoded, as routes and faults are keyed. */
  path: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived. */
  at: number;
}

/** A Refold-like API: apps, their action lists and parameter payloads, auth, faults, a token bucket. */
export interface FakeOptions {
  apps?: Record<string, { actions: unknown; parameters?: Record<string, unknown> }>;
  /**
   * Faults keyed `"GET /api/v2/..."` (decoded path), used in order, one per request; then the route answers
   * normally. A reply with nothing but `delayMs` answers normally after the delay.
   */
  faults?: Record<string, Reply[]>;
  apiKey?: string;
  sessionToken?: string;
  latencyMs?: number;
  /** Enforce a token bucket exactly like the real service (429 when empty). */
  rateLimit?: { perSecond: number; burst: number };
}

/** A running fake server on 127.0.0.1. */
export interface FakeServer {
  url: string;
  requests: SeenRequest[];
  stats: { inFlight: number; maxInFlight: number; limited: number };
  close(): Promise<void>;
}

const envelope = (status: number, type: string, code: string, message: string) => ({
  status_code: status,
  http_error_type: type,
  error_code: code,
  message,
  request_id: `req-${status}`,
});

/** Starts a fake Refold API on 127.0.0.1, port 0. */
export async function startFakeServer(options: FakeOptions = {}): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0, limited: 0 };
  const faults = structuredClone(options.faults ?? {});
  const bucket = options.rateLimit === undefined ? undefined : new TokenBucket(options.rateLimit);

  const server = createServer((req, res) => {
    const rawPath = (req.url ?? "/").split("?")[0]!;
    const path = decodeURIComponent(rawPath);
    requests.push({ method: req.method ?? "", rawPath, path, headers: req.headers, at: performance.now() });
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const done = () => (stats.inFlight -= 1);
    res.on("close", done);
    if (bucket?.take() !== undefined) {
      stats.limited += 1;
      void sendReply(res, {
        status: 429,
        headers: { "retry-after": "1" },
        json: envelope(429, "TOO_MANY", "RATE", "slow down"),
      });
      return;
    }
    const reply = faults[`${req.method} ${path}`]?.shift() ?? {};
    // A reply with nothing but a delay means: the normal answer, that much later.
    const normal =
      !("fault" in reply) && reply.status === undefined && reply.json === undefined && reply.body === undefined;
    const wait = (options.latencyMs ?? 0) + (normal && !("fault" in reply) ? (reply.delayMs ?? 0) : 0);
    const answer = () => void sendReply(res, normal ? route(options, req.headers, path) : reply);
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function route(options: FakeOptions, headers: IncomingHttpHeaders, path: string): Reply {
  const denied = checkAuth(options, headers);
  if (denied) return denied;
  const match = /^\/api\/v2\/integration-schema\/([^/]+)\/actions(?:\/(.+))?$/.exec(path);
  if (!match) return { status: 404, json: envelope(404, "NOT_FOUND", "SERVER_ERROR", "Not found") };
  const [, slug, actionId] = match;
  const app = options.apps && Object.hasOwn(options.apps, slug!) ? options.apps[slug!] : undefined;
  if (!app)
    return {
      status: 404,
      json: envelope(404, "NOT_FOUND", "SERVER_ERROR", `Application app_type '${slug}' not found`),
    };
  if (actionId === undefined) return { status: 200, json: app.actions };
  if (!app.parameters || !Object.hasOwn(app.parameters, actionId)) {
    const message = `Action ${actionId} not found in Application ${slug}`;
    return { status: 404, json: envelope(404, "NOT_FOUND", "SERVER_ERROR", message) };
  }
  return { status: 200, json: app.parameters[actionId] };
}

function checkAuth(options: FakeOptions, headers: IncomingHttpHeaders): Reply | undefined {
  const auth = headers["authorization"];
  if (auth !== undefined) {
    if (options.sessionToken !== undefined && auth === `Bearer ${options.sessionToken}`) return undefined;
    return { status: 401, json: envelope(401, "UNAUTHORIZED", "SERVER_ERROR", "Invalid session token") };
  }
  if (options.apiKey !== undefined && headers["x-api-key"] !== options.apiKey) {
    // Some servers echo what they were sent; the client must not pass it on.
    const message = `Invalid Credentials for key ${String(headers["x-api-key"])}`;
    return { status: 401, json: envelope(401, "UNAUTHORIZED", "SERVER_ERROR", message) };
  }
  if (options.apiKey !== undefined && !headers["linked_account_id"]) {
    return {
      status: 400,
      json: envelope(400, "BAD_REQUEST", "INVALID_LINKED_ACCOUNT_ID", "linked_account_id is required"),
    };
  }
  return undefined;
}

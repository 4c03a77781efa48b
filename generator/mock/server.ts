import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Diagnostic } from "../util/diagnostics.js";
import type { PulledApp } from "../lock/types.js";
import { authenticate } from "./auth.js";
import { buildCatalog, type Catalog } from "./catalog.js";
import {
  answerPreflight,
  corsPolicy,
  exposeHeaders,
  isPreflight,
  setAnswerCors,
  type CorsPolicy,
  type PreflightLogEntry,
} from "./cors.js";
import { FaultSet, type FaultRule } from "./faults.js";
import { TokenBucket, type RateLimitOptions } from "./rate-limit.js";
import { errorReply, requestIdFor, type Reply } from "./reply.js";
import { credentialsOf, logBody, logHeaders, readBody, scrubCredentials, splitTarget } from "./incoming.js";
import { faultReply, send, sendStalled } from "./respond.js";
import { parseRoute, routeReply, type MockConnection, type Route } from "./router.js";
import type { ResultsFile } from "../results/file.js";
import type { RawPagination } from "../config/pagination.js";
import { Answers, Connections, type MockAnswer } from "./state.js";

export type { MockAnswer } from "./state.js";
export type { PreflightLogEntry } from "./cors.js";

/** How to run the emulator. */
export interface MockOptions {
  /** What to serve: a lock's `apps` (a catalog's `{ apps }`, without hashes, works too). */
  apps: Readonly<Record<string, PulledApp>>;
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`: the emulator accepts any key, so it stays on loopback unless told otherwise. */
  host?: string;
  /** When set, `x-api-key` must equal it; otherwise any non-empty key is accepted. */
  apiKey?: string;
  /** Accepted `Authorization: Bearer` tokens; default any non-empty token. */
  sessionTokens?: string[];
  /** Added before every answer. */
  latencyMs?: number;
  /** Token bucket over all requests; over it, 429 with `Retry-After`. */
  rateLimit?: RateLimitOptions;
  /** Injected faults (see faults.ts); replace them later with `setFaults`. */
  faults?: FaultRule[];
  /** Answer action lists in a seeded shuffled order (per app, independent of request order). */
  shuffle?: boolean;
  /** Seed for `shuffle`; default 1. */
  seed?: number;
  /** The org's linked account ids, listed by `GET /api/v2/public/linked-account`; default `["demo-user-1"]`. */
  accounts?: readonly string[];
  /**
   * Recorded result shapes (a results file's `apps`): an action with one is answered with deterministic data
   * of that shape instead of the echo.
   */
  results?: ResultsFile["apps"];
  /**
   * Declared pagination (a config's `pagination`): such an action answers pages of its recorded shape (or `{}`)
   * holding `pageItems` items in all, with working cursors, page flags or totals (docs/pagination.md).
   */
  pagination?: RawPagination;
  /** How many items a declared paginated action lists; default 25. */
  pageItems?: number;
  /** Fixed answers by `"<slug>.<action_id>"`, over shapes and echoes; change them later with `setAnswer`. */
  answers?: Readonly<Record<string, MockAnswer>>;
  /**
   * Which apps each linked account has connected, by account then slug: `"connected"` (the default for every
   * app and account), `"expired"` (must re-authenticate) or `"missing"`. An action of an app that is not
   * connected fails as Refold's docs describe: a failed action carrying the provider's 401. Change them
   * later with `setConnection`.
   */
  connections?: Readonly<Record<string, Readonly<Record<string, MockConnection>>>>;
  /**
   * Origins a browser page may call the emulator from: origins (`"http://localhost:5173"`), `"loopback"` (any
   * http(s) origin on localhost, 127.0.0.0/8 or [::1], any port) or `"*"` (any origin). Default
   * `["loopback"]`; `[]` allows none. Throws a usage error on an entry that is none of these.
   */
  corsOrigins?: readonly string[];
  /** Called once per request, after it has been answered (not for CORS preflights). A throwing callback is ignored. */
  log?: (entry: RequestLogEntry) => void;
  /** Called once per CORS preflight, after it has been answered. A throwing callback is ignored. */
  logPreflight?: (entry: PreflightLogEntry) => void;
}

/** One received request, as the emulator saw and answered it. */
export interface RequestLogEntry {
  /** 1-based arrival order. */
  seq: number;
  /** The `request_id` of error envelopes and the `x-request-id` header. */
  requestId: string;
  method: string;
  /** Decoded path, without query. */
  path: string;
  /** The request target exactly as received, query included. */
  url: string;
  /** Lower-case header names; `x-api-key` and `authorization` read `[redacted]`. */
  headers: Record<string, string>;
  /** The parsed JSON body; its raw text when it is not JSON; undefined when empty. */
  body: unknown;
  route?: Route;
  /** The status answered; undefined while pending or when the connection was dropped. */
  status?: number;
  /** The injected fault's effect (`status`, `delay`, `stall`, `malformed`, `html`, `raw`, `destroy`, `nodeStatus`). */
  fault?: string;
  /** True when the rate limit refused it. */
  limited?: boolean;
}

/** Counters since start. */
export interface MockStats {
  requests: number;
  /** Requests refused with 429 by the rate limit (injected 429s are not counted). */
  limited: number;
  /** Requests answered by an injected fault. */
  faulted: number;
}

/** A running emulator. */
export interface MockServer {
  /** `http://127.0.0.1:<port>`, no trailing slash: the client's `baseUrl`. */
  url: string;
  port: number;
  /** Every request in arrival order (the latest 10,000 in a long session), CORS preflights excepted. */
  requests: RequestLogEntry[];
  /** Every CORS preflight in arrival order (the latest 10,000). */
  preflights: PreflightLogEntry[];
  stats: MockStats;
  /** What normalizing the served parameter lists reported. */
  diagnostics: readonly Diagnostic[];
  /** Replaces the injected faults and resets their counts; throws a usage error on a bad rule. */
  setFaults(faults: FaultRule[]): void;
  /** Sets (or, with undefined, removes) the answer of one action: its `data` on success. */
  setAnswer(app: string, action: string, answer: MockAnswer | undefined): void;
  /** Sets whether a linked account has connected an app. */
  setConnection(account: string, app: string, connection: MockConnection): void;
  /** Stops listening and drops every connection, including stalled answers. */
  close(): Promise<void>;
}

const MAX_LOG = 10_000;
const DEFAULT_ACCOUNTS = ["demo-user-1"];

/** Starts the emulator and resolves once it is listening. */
export async function startMock(options: MockOptions): Promise<MockServer> {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  // Sleeps end with the server: close() clears them, and the dropped sockets end their requests.
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return;
      const timer = setTimeout(() => (timers.delete(timer), resolve()), ms);
      timers.add(timer);
    });
  const state = handlerState(options, sleep, () => closed);
  const { catalog, faults, answers, connections, requests, preflights, stats } = state;
  const server = createServer((req, res) => {
    if (isPreflight(req)) return preflight(req, res, state);
    // handle() answers its own errors; what is left is a client that went away mid-body: nothing to answer.
    handle(req, res, state).catch(() => req.socket.destroy());
  });
  // Shorter than undici's default keep-alive (4s) would invite races; longer keeps pooled sockets useful.
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    requests,
    preflights,
    stats,
    diagnostics: catalog.diagnostics,
    setFaults: (rules) => faults.replace(rules),
    setAnswer: (app, action, answer) => answers.set(app, action, answer),
    setConnection: (account, app, connection) => connections.set(account, app, connection),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** What the handlers share: the catalog, the faults, the limiter, the logs and the answers of one server. */
function handlerState(
  options: MockOptions,
  sleep: HandlerState["sleep"],
  isClosed: HandlerState["isClosed"],
): HandlerState {
  return {
    options,
    catalog: buildCatalog(options.apps),
    faults: new FaultSet(options.faults ?? []),
    bucket: options.rateLimit === undefined ? undefined : new TokenBucket(options.rateLimit),
    cors: corsPolicy(options.corsOrigins),
    requests: [],
    preflights: [],
    stats: { requests: 0, limited: 0, faulted: 0 },
    sleep,
    isClosed,
    answers: new Answers(options),
    connections: new Connections(options.connections ?? {}),
  };
}

interface HandlerState {
  options: MockOptions;
  catalog: Catalog;
  cors: CorsPolicy;
  faults: FaultSet;
  bucket: TokenBucket | undefined;
  requests: RequestLogEntry[];
  preflights: PreflightLogEntry[];
  stats: MockStats;
  sleep: (ms: number) => Promise<void>;
  isClosed: () => boolean;
  answers: Answers;
  connections: Connections;
}

/** A received request: its log entry plus what answering it needs. */
interface Incoming {
  entry: RequestLogEntry;
  text: string;
  tooLarge: boolean;
  /** Undefined when the path's percent-encoding is broken. */
  segments: string[] | undefined;
  route: Route | undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: HandlerState): Promise<void> {
  const incoming = await receive(req, res, state);
  const { entry } = incoming;
  try {
    const latency = state.options.latencyMs;
    if (latency !== undefined && latency > 0) await state.sleep(latency);
    const normal = (): Reply => normalReply(req, incoming, state);
    const rule = state.faults.take({ method: entry.method, segments: incoming.segments ?? [], route: incoming.route });
    if (rule === undefined) answer(res, entry, normal());
    else await answerWithFault(req, res, entry, rule, normal, state);
  } catch (error) {
    const message = `Emulator error: ${(error as Error).message}`;
    answer(res, entry, errorReply(entry.requestId, 500, "SERVER_ERROR", message));
  } finally {
    try {
      state.options.log?.(entry);
    } catch {
      // A logging callback must not take the emulator down or change an answer.
    }
  }
}

/** Reads the request and records it in the log before anything can delay or drop it. */
async function receive(req: IncomingMessage, res: ServerResponse, state: HandlerState): Promise<Incoming> {
  state.stats.requests += 1;
  const seq = state.stats.requests;
  const requestId = requestIdFor(seq);
  res.setHeader("x-request-id", requestId);
  setAnswerCors(req, res, state.cors);
  const { text, tooLarge } = await readBody(req);
  const { path, segments } = splitTarget(req.url ?? "/");
  const route = segments === undefined ? undefined : parseRoute(segments);
  const url = req.url ?? "/";
  const entry: RequestLogEntry = {
    seq,
    requestId,
    method: req.method ?? "GET",
    path,
    url,
    headers: logHeaders(req),
    body: logBody(text),
  };
  if (route !== undefined) entry.route = route;
  scrubCredentials(entry, credentialsOf(req, [state.options.apiKey, ...(state.options.sessionTokens ?? [])]));
  state.requests.push(entry);
  if (state.requests.length > MAX_LOG) state.requests.shift();
  return { entry, text, tooLarge, segments, route };
}

/** The answer without faults: size, URL, rate limit, credentials, then the endpoint itself. */
function normalReply(req: IncomingMessage, incoming: Incoming, state: HandlerState): Reply {
  const { entry, route } = incoming;
  const { requestId } = entry;
  if (incoming.tooLarge) return errorReply(requestId, 413, "PAYLOAD_TOO_LARGE", "Request body is too large");
  if (incoming.segments === undefined) return errorReply(requestId, 400, "BAD_REQUEST", "Malformed URL encoding");
  const wait = state.bucket?.take();
  if (wait !== undefined) {
    state.stats.limited += 1;
    entry.limited = true;
    const headers = { "retry-after": String(wait) };
    return errorReply(requestId, 429, "RATE_LIMITED", "Too many requests", { headers });
  }
  const { options } = state;
  const orgLevel = route?.kind === "linkedAccounts" || route?.kind === "sessionToken";
  const auth = authenticate(req.headers, { ...options, minted: state.connections.minted }, requestId, orgLevel);
  if (!auth.ok) return auth.reply;
  if (route === undefined) return errorReply(requestId, 404, "SERVER_ERROR", `Not found: ${entry.path}`);
  const shuffleSeed = options.shuffle === true ? (options.seed ?? 1) : undefined;
  const context = { method: entry.method, requestId, account: auth.account, bodyText: incoming.text, shuffleSeed };
  return routeReply(route, {
    ...context,
    catalog: state.catalog,
    accounts: options.accounts ?? (options.connections ? Object.keys(options.connections) : DEFAULT_ACCOUNTS),
    answerOf: (app, action) => state.answers.of(app, action),
    connection: (account, app) => state.connections.of(account, app),
    mint: (account, force) => state.connections.mint(account, force),
    forceRefresh: /[?&]force_refresh=true(&|$)/.test(entry.url),
  });
}

async function answerWithFault(
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
  rule: FaultRule,
  normal: () => Reply,
  state: HandlerState,
): Promise<void> {
  state.stats.faulted += 1;
  entry.fault = effectName(rule);
  if (rule.delayMs !== undefined && rule.delayMs > 0) await state.sleep(rule.delayMs);
  if (state.isClosed()) return;
  if (rule.destroy === true) {
    req.socket.destroy();
    return;
  }
  const reply = faultReply(rule, normal, entry.requestId);
  if (rule.stallBodyMs === undefined) return answer(res, entry, reply);
  entry.status = reply.status;
  exposeHeaders(res, reply.headers);
  await sendStalled(res, reply, rule.stallBodyMs, state.sleep);
}

function answer(res: ServerResponse, entry: RequestLogEntry, reply: Reply): void {
  entry.status = reply.status;
  exposeHeaders(res, reply.headers);
  send(res, reply);
}

/** Answers a CORS preflight at once (see answerPreflight) and logs it apart from the API calls. */
function preflight(req: IncomingMessage, res: ServerResponse, state: HandlerState): void {
  const seq = (state.preflights.at(-1)?.seq ?? 0) + 1;
  const entry = answerPreflight(req, res, state.cors, seq, [
    state.options.apiKey,
    ...(state.options.sessionTokens ?? []),
  ]);
  state.preflights.push(entry);
  if (state.preflights.length > MAX_LOG) state.preflights.shift();
  try {
    state.options.logPreflight?.(entry);
  } catch {
    // As for `log`: a callback cannot change the answer or stop the emulator.
  }
}

function effectName(rule: FaultRule): string {
  if (rule.destroy === true) return "destroy";
  if (rule.stallBodyMs !== undefined) return "stall";
  if (rule.malformed === true) return "malformed";
  if (rule.html === true) return "html";
  if (rule.raw !== undefined) return "raw";
  if (rule.nodeStatus !== undefined) return "nodeStatus";
  return rule.status !== undefined ? "status" : "delay";
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

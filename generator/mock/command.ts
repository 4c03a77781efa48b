import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { readResults } from "../results/file.js";
import { resolve } from "node:path";
import { loadConfig } from "../config/load.js";
import { CodegenError, ExitCode, describeWhere } from "../util/diagnostics.js";
import { checkLock } from "../lock/read.js";
import type { PulledApp } from "../lock/types.js";
import { loadMockFaults } from "./faults.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { corsPolicy } from "./cors.js";
import {
  startMock,
  type MockOptions,
  type MockServer,
  type PreflightLogEntry,
  type RequestLogEntry,
} from "./server.js";
import { CONFIG_DEFAULTS } from "../config/defaults.js";
import type { RawPagination } from "../config/pagination.js";
import { setOwn } from "../util/records.js";

/** The `mock` command's arguments, as yargs parses them (extra keys are ignored). */
export interface MockCommandArgs {
  config?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
  /** A lock file, or a catalog `{ "apps": { slug: { actions, parameters } } }`; default the config's lock. */
  lock?: string | undefined;
  /** A results file whose shapes the answers take; default the config's (none when it is absent). */
  results?: string | undefined;
  /** How many items each declared paginated action lists (the config's `pagination`); default 25. */
  pageItems?: number | undefined;
  /** A JSON file `{ "<linked account>": { "<slug>": "connected" | "expired" | "missing" } }`. */
  connections?: string | undefined;
  faults?: string | undefined;
  latency?: number | undefined;
  /** `<perSecond>/<burst>`, e.g. `20/5`. */
  rateLimit?: string | undefined;
  shuffle?: boolean | undefined;
  seed?: number | undefined;
  /** `--cors-origin`, repeatable: origins a browser page may call from, `loopback` or `*`; default loopback only. */
  corsOrigin?: string | readonly string[] | undefined;
  json?: boolean | undefined;
  /** Where human (or `--json`) lines go; the CLI passes a no-op for `--quiet`. */
  print: (line: string) => void;
  /** REFOLD_API_KEY (and REFOLD_SESSION_TOKEN) restrict the accepted credentials when set. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
  /** Stops the emulator when aborted; SIGINT and SIGTERM always do. */
  signal?: AbortSignal | undefined;
  /** Called once listening, for callers that need the server (tests, demo scripts). */
  onListening?: ((server: MockServer) => void) | undefined;
}

/** Runs `refold-codegen mock`: serves the lock's apps until SIGINT, SIGTERM or `signal`, then closes cleanly. */
export async function runMockCommand(args: MockCommandArgs): Promise<void> {
  const env = args.env ?? process.env;
  const cwd = args.cwd ?? process.cwd();
  const paths = await servedPaths(args, cwd, env);
  const source = paths.lock;
  const apps = await readServedApps(source);
  const results = paths.results === undefined ? undefined : (await readResults(paths.results)).apps;
  const options: MockOptions = {
    apps,
    ...(results !== undefined ? { results } : {}),
    ...(paths.pagination !== undefined ? { pagination: paths.pagination } : {}),
    ...(args.pageItems !== undefined ? { pageItems: args.pageItems } : {}),
    port: args.port ?? 4010,
    log: (entry) => args.print(args.json === true ? JSON.stringify(entry) : requestLine(entry)),
    logPreflight: (entry) =>
      args.print(args.json === true ? JSON.stringify({ event: "preflight", ...entry }) : preflightLine(entry)),
  };
  if (args.host !== undefined) options.host = args.host;
  if (env["REFOLD_API_KEY"]) options.apiKey = env["REFOLD_API_KEY"];
  if (env["REFOLD_SESSION_TOKEN"]) options.sessionTokens = [env["REFOLD_SESSION_TOKEN"]];
  if (args.faults !== undefined) options.faults = loadMockFaults(resolve(cwd, args.faults));
  if (args.connections !== undefined) options.connections = await readConnections(resolve(cwd, args.connections));
  if (args.latency !== undefined && args.latency > 0) options.latencyMs = args.latency;
  if (args.rateLimit !== undefined) options.rateLimit = parseRateLimit(args.rateLimit);
  if (args.shuffle === true) options.shuffle = true;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.corsOrigin !== undefined)
    options.corsOrigins = typeof args.corsOrigin === "string" ? [args.corsOrigin] : args.corsOrigin;
  const cors = corsPolicy(options.corsOrigins);
  const server = await startMock(options);
  const actions = Object.values(apps).reduce((sum, app) => sum + app.actions.length, 0);
  const summary = { url: server.url, apps: Object.keys(apps).length, actions, source };
  args.print(
    args.json === true
      ? JSON.stringify({ event: "listening", ...summary, corsOrigins: options.corsOrigins ?? ["loopback"] })
      : `Refold emulator on ${server.url}: ${summary.apps} apps, ${actions} actions from ${source}` +
          `${options.apiKey === undefined ? " (any non-empty x-api-key)" : " (x-api-key must equal REFOLD_API_KEY)"}`,
  );
  if (args.json !== true)
    args.print(`CORS: browser pages may call it from ${cors.description} (--cors-origin to change)`);
  for (const diagnostic of server.diagnostics) {
    if (args.json !== true) args.print(`${diagnostic.severity}: ${describeWhere(diagnostic)}: ${diagnostic.message}`);
  }
  args.onListening?.(server);
  await stopped(args.signal);
  await server.close();
}

/** The lock (or catalog) to serve and the results file to shape answers with: given, else the config's. */
async function servedPaths(
  args: MockCommandArgs,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ lock: string; results: string | undefined; pagination?: RawPagination }> {
  const given = (path: string | undefined) => (path === undefined ? undefined : resolve(cwd, path));
  if (args.lock !== undefined && args.results !== undefined)
    return { lock: resolve(cwd, args.lock), results: given(args.results) };
  const configPath = resolve(cwd, args.config ?? CONFIG_DEFAULTS.configFile);
  // A lock given without a config around it is served as it is.
  if (args.lock !== undefined && !existsSync(configPath)) return { lock: resolve(cwd, args.lock), results: undefined };
  const config = await loadConfig(configPath, env);
  const pagination: Record<string, RawPagination[string]> = {};
  for (const app of config.apps) if (app.pagination !== undefined) setOwn(pagination, app.slug, app.pagination);
  return {
    lock: given(args.lock) ?? config.lockfilePath,
    results: given(args.results) ?? config.resultsPath,
    pagination,
  };
}

/** Reads a lock file, or a catalog file (the same `apps` without hashes or version). */
async function readServedApps(path: string): Promise<Record<string, PulledApp>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const hint = "run `refold-codegen pull` (or `generate`) first, or pass --lock <file>";
    throw new CodegenError(`cannot read ${path} to serve: ${(error as Error).message}; ${hint}`, ExitCode.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CodegenError(`${path} is not valid JSON: ${(error as Error).message}`, ExitCode.usage);
  }
  if (typeof parsed === "object" && parsed !== null && Object.hasOwn(parsed, "lockfileVersion")) {
    return checkLock(parsed, path).apps;
  }
  const apps = typeof parsed === "object" && parsed !== null ? (parsed as { apps?: unknown }).apps : undefined;
  if (typeof apps !== "object" || apps === null || Array.isArray(apps)) {
    throw new CodegenError(`${path} is neither a lock file nor a catalog with an "apps" object`, ExitCode.usage);
  }
  return apps as Record<string, PulledApp>;
}

/** Reads `--connections`: accounts to apps to `connected`, `expired` or `missing`. */
async function readConnections(path: string): Promise<NonNullable<MockOptions["connections"]>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new CodegenError(`cannot read the connections file ${path}: ${(error as Error).message}`, ExitCode.usage);
  }
  const states = new Set(["connected", "expired", "missing"]);
  const valid =
    typeof parsed === "object" &&
    parsed !== null &&
    Object.values(parsed).every(
      (apps: unknown) =>
        typeof apps === "object" && apps !== null && Object.values(apps).every((state) => states.has(state as string)),
    );
  if (!valid) {
    const message = `${path} must map linked accounts to apps to "connected", "expired" or "missing"`;
    throw new CodegenError(message, ExitCode.usage);
  }
  return parsed as NonNullable<MockOptions["connections"]>;
}

/** Parses `--rate-limit 20/5` (per second / burst); a bare `20` means a burst of the same size. */
export function parseRateLimit(text: string): RateLimitOptions {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?\s*$/.exec(text);
  const perSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? Math.max(1, Math.floor(perSecond)) : Number(match[2]);
  if (match === null || !(perSecond > 0) || !(burst >= 1)) {
    throw new CodegenError(`--rate-limit must look like <perSecond>/<burst>, e.g. 20/5; got "${text}"`, ExitCode.usage);
  }
  return { perSecond, burst };
}

function requestLine(entry: RequestLogEntry): string {
  const outcome = entry.status === undefined ? "dropped" : String(entry.status);
  const notes = [
    entry.fault === undefined ? "" : ` fault=${entry.fault}`,
    entry.limited === true ? " rate-limited" : "",
  ];
  return `${entry.method} ${entry.path} ${outcome}${notes.join("")}`;
}

function preflightLine(entry: PreflightLogEntry): string {
  const verdict = entry.allowed ? "" : " refused (origin not allowed; see --cors-origin)";
  return `OPTIONS ${entry.path} ${entry.status} preflight from ${entry.origin} for ${entry.requestMethod}${verdict}`;
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = (): void => {
      process.off("SIGINT", finish);
      process.off("SIGTERM", finish);
      signal?.removeEventListener("abort", finish);
      done();
    };
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
    if (signal?.aborted === true) return finish();
    signal?.addEventListener("abort", finish, { once: true });
  });
}

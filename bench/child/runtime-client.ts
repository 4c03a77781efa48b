/*
 * The runtime figures (issue 3, "Measure"): RefoldClient.run against raw undici.request and against a
 * global-fetch client, all at the same concurrency against one loopback server that runs in its own
 * process (forked here), then the heap after many calls. Run with --expose-gc.
 * Usage: node --expose-gc runtime-client.js '<json settings>'
 */
import { fork } from "node:child_process";
import { Agent, request } from "undici";
import { createRoot, defineApp, RefoldClient, type ActionRunner } from "../../templates/runtime/index.js";
import { ACCOUNT, API_KEY, headers, params, path, spec } from "./bench-request.js";

interface Settings {
  /** forAccount figures: apps and actions per app of the generated-like client. */
  apps: number;
  actionsPerApp: number;
  forAccountCalls: number;
  concurrency: number;
  warmupCalls: number;
  /** Calls per measured round of raw and RefoldClient. */
  calls: number;
  rounds: number;
  fetchCalls: number;
  fetchRounds: number;
  heapCalls: number;
  heapCheckpoints: number;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");
const fullGc = () => {
  gc();
  gc();
};

// ---------------------------------------------------------------------------------------------------
// The server

const server = fork(new URL("./echo-server.js", import.meta.url), [], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
let closing = false;
server.once("exit", (code) => {
  if (closing) return;
  process.stderr.write(`echo server exited unexpectedly (${code})\n`);
  process.exit(1);
});
const serverMessage = <T>(type: string, send?: object) =>
  new Promise<T>((resolve) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      server.off("message", onMessage);
      resolve(message as T);
    };
    server.on("message", onMessage);
    if (send) server.send(send);
  });
const { port } = await serverMessage<{ port: number }>("ready");
const serverCpu = async () => {
  const cpu = await serverMessage<{ userMs: number; systemMs: number }>("cpu", { type: "cpu" });
  return cpu.userMs + cpu.systemMs;
};

// ---------------------------------------------------------------------------------------------------
// The three clients, sending the same request

const origin = `http://127.0.0.1:${port}`;
const url = origin + path;

interface Envelope {
  node_status?: string;
  data?: unknown;
}

const agent = new Agent();
async function raw(): Promise<unknown> {
  const { statusCode, body } = await request(url, {
    method: "POST",
    headers,
    body: JSON.stringify(params),
    dispatcher: agent,
  });
  const json = (await body.json()) as Envelope;
  if (statusCode !== 200 || json.node_status !== "Success") throw new Error(`raw: unexpected answer ${statusCode}`);
  return json.data;
}

const client = new RefoldClient({ apiKey: API_KEY, baseUrl: origin, linkedAccountId: ACCOUNT });
const refold = (): Promise<unknown> => client.run(spec, params);

// A client shaped like a generated one (apps x actions, built as generated modules build theirs), for the
// multi-tenant figures: a fresh forAccount per call against an account bound once.
type BenchApp = Record<string, (params: object) => Promise<unknown>>;
const row = JSON.stringify([
  "get_contact",
  "read",
  ["contact_id", "!s"],
  ["limit", "n"],
  ["properties", ["m", "email", "firstname", "lastname"]],
  ["archived", "b"],
]);
const apps: Record<string, { slug: string; create: (runner: ActionRunner) => unknown }> = {};
for (let a = 0; a < settings.apps; a++) {
  const table: Record<string, string> = {};
  for (let i = 0; i < settings.actionsPerApp; i++) table[`action${i}`] = row;
  table["getContact"] = row;
  const defined = defineApp<BenchApp>(a === 0 ? "bench-crm" : `bench-app-${a}`, table);
  apps[a === 0 ? "benchCrm" : `benchApp${a}`] = {
    slug: a === 0 ? "bench-crm" : `bench-app-${a}`,
    create: (runner) => defined.bind(runner),
  };
}
type BenchRoot = { forAccount(id: string): { benchCrm: BenchApp } };
const root = createRoot(client, apps) as BenchRoot;
const boundAccount = root.forAccount(ACCOUNT);
let tenant = 0;
const bound = (): Promise<unknown> => boundAccount.benchCrm["getContact"]!(params);
const perTenant = (): Promise<unknown> =>
  root.forAccount(`${ACCOUNT}-${tenant++ % 1000}`).benchCrm["getContact"]!(params);

async function viaFetch(): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(params) });
  const json = (await response.json()) as Envelope;
  if (response.status !== 200 || json.node_status !== "Success")
    throw new Error(`fetch: unexpected ${response.status}`);
  return json.data;
}

// ---------------------------------------------------------------------------------------------------
// Measuring

async function pool(calls: number, fn: () => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < calls) await fn();
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, calls) }, worker));
}

interface Round {
  client: string;
  calls: number;
  wallMs: number;
  cpuMs: number;
  wallPerCallUs: number;
  cpuPerCallUs: number;
  callsPerSecond: number;
  /** Server CPU time over wall time: near 100% means the server, not the client, set the pace. */
  serverCpuPercent: number;
}

async function round(name: string, calls: number, fn: () => Promise<unknown>): Promise<Round> {
  fullGc();
  const server0 = await serverCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(calls, fn);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const server1 = await serverCpu();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    client: name,
    calls,
    wallMs,
    cpuMs,
    wallPerCallUs: (wallMs * 1000) / calls,
    cpuPerCallUs: (cpuMs * 1000) / calls,
    callsPerSecond: (calls * 1000) / wallMs,
    serverCpuPercent: ((server1 - server0) / wallMs) * 100,
  };
}

// Sanity: every client gets the same answer.
for (const [name, fn] of [
  ["raw", raw],
  ["refold", refold],
  ["fetch", viaFetch],
] as const) {
  const data = await fn();
  if (JSON.stringify(data) !== "{}") throw new Error(`${name} returned ${JSON.stringify(data)}`);
}

// Warm-up: JIT, connection pools.
for (let i = 0; i < 2; i++) {
  await pool(settings.warmupCalls, raw);
  await pool(settings.warmupCalls, refold);
  await pool(settings.warmupCalls, bound);
  await pool(settings.warmupCalls, perTenant);
  await pool(Math.ceil(settings.warmupCalls / 4), viaFetch);
}

const rounds: Round[] = [];
for (let r = 0; r < settings.rounds; r++) {
  // Alternate the order so that neither client always runs first.
  const order =
    r % 2 === 0
      ? ([
          ["raw", raw],
          ["refold", refold],
        ] as const)
      : ([
          ["refold", refold],
          ["raw", raw],
        ] as const);
  for (const [name, fn] of order) rounds.push(await round(name, settings.calls, fn));
}
for (let r = 0; r < settings.fetchRounds; r++) rounds.push(await round("fetch", settings.fetchCalls, viaFetch));

for (let r = 0; r < settings.rounds; r++) {
  const order = r % 2 === 0 ? (["bound", "forAccount"] as const) : (["forAccount", "bound"] as const);
  for (const name of order) rounds.push(await round(name, settings.calls, name === "bound" ? bound : perTenant));
}

// forAccount alone: many accounts bound and used once, none kept; the heap after them against before.
fullGc();
const forAccountHeapStart = process.memoryUsage().heapUsed;
const forAccountT0 = performance.now();
for (let i = 0; i < settings.forAccountCalls; i++) void root.forAccount(`${ACCOUNT}-${i}`).benchCrm["getContact"];
const forAccountNsPerCall = ((performance.now() - forAccountT0) * 1e6) / settings.forAccountCalls;
fullGc();
const forAccountHeap = {
  calls: settings.forAccountCalls,
  growthMb: (process.memoryUsage().heapUsed - forAccountHeapStart) / 2 ** 20,
  nsPerCall: forAccountNsPerCall,
};

// Heap: after warm-up and the rounds above, then after heapCalls more calls, with checkpoints.
fullGc();
const heapStart = process.memoryUsage();
const checkpoints: { calls: number; heapUsedMb: number; rssMb: number }[] = [];
const perCheckpoint = Math.ceil(settings.heapCalls / settings.heapCheckpoints);
const heapT0 = performance.now();
for (let done = 0; done < settings.heapCalls;) {
  const calls = Math.min(perCheckpoint, settings.heapCalls - done);
  await pool(calls, refold);
  done += calls;
  fullGc();
  const memory = process.memoryUsage();
  checkpoints.push({ calls: done, heapUsedMb: memory.heapUsed / 2 ** 20, rssMb: memory.rss / 2 ** 20 });
}
const heapWallMs = performance.now() - heapT0;

await client.close();
await agent.close();
closing = true;
server.send({ type: "close" });
process.stdout.write(
  `${JSON.stringify({
    settings,
    rounds,
    forAccountHeap,
    heap: {
      calls: settings.heapCalls,
      startHeapUsedMb: heapStart.heapUsed / 2 ** 20,
      startRssMb: heapStart.rss / 2 ** 20,
      checkpoints,
      callsPerSecond: (settings.heapCalls * 1000) / heapWallMs,
    },
  })}\n`,
);
process.exit(0);

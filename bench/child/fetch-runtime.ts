/*
 * The runtimes figure (issue 19): per call, RefoldClient.run over the fetch transport against the same request
 * made with the runtime's raw `fetch`, at one concurrency against the loopback echo server. Bundled by esbuild
 * and run by Bun and by Deno (no Node API here). Prints one JSON document: the rounds.
 * Usage: bun fetch-runtime.js '<json settings>' | deno run --allow-net fetch-runtime.js '<json settings>'
 */
import { RefoldClient } from "../../templates/runtime/index.js";
import { ACCOUNT, API_KEY, headers, params, path, spec } from "./bench-request.js";

interface Settings {
  origin: string;
  concurrency: number;
  warmupCalls: number;
  calls: number;
  rounds: number;
}

const scope = globalThis as { Deno?: { args: string[] }; process?: { argv: string[] } };
const args = scope.Deno?.args ?? scope.process?.argv.slice(2) ?? [];
const settings = JSON.parse(args[0] ?? "{}") as Settings;

/** The same request by hand, as a user without the client would write it: fetch, read, parse, check. */
async function raw(): Promise<unknown> {
  const response = await fetch(settings.origin + path, { method: "POST", headers, body: JSON.stringify(params) });
  const json = (await response.json()) as { node_status?: string; data?: unknown };
  if (response.status !== 200 || json.node_status !== "Success") throw new Error(`raw: unexpected ${response.status}`);
  return json.data;
}

// The platform's fetch, chosen by the client itself (nothing passed): what a Bun or Deno user gets.
const client = new RefoldClient({ apiKey: API_KEY, baseUrl: settings.origin, linkedAccountId: ACCOUNT });
const refold = (): Promise<unknown> => client.run(spec, params);

async function pool(calls: number, fn: () => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < calls) await fn();
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, calls) }, worker));
}

async function round(name: string, fn: () => Promise<unknown>): Promise<{ client: string; wallPerCallUs: number }> {
  const started = performance.now();
  await pool(settings.calls, fn);
  return { client: name, wallPerCallUs: ((performance.now() - started) * 1000) / settings.calls };
}

for (const fn of [raw, refold]) {
  if (JSON.stringify(await fn()) !== "{}") throw new Error("unexpected answer");
}
for (let i = 0; i < 2; i++) {
  await pool(settings.warmupCalls, raw);
  await pool(settings.warmupCalls, refold);
}
const rounds = [];
// Interleaved, and each first in turn, so that a slower stretch of the machine (or the garbage the round
// before left to collect) weighs on both alike.
for (let i = 0; i < settings.rounds; i++) {
  if (i % 2 === 0) rounds.push(await round("raw", raw), await round("refold", refold));
  else rounds.push(await round("refold", refold), await round("raw", raw));
}
await client.close();
console.log(JSON.stringify({ rounds }));

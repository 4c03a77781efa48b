/*
 * Pulls from the emulator (in its own process) with 25 ms latency:
 * - enforcing Refold's 20 requests/s, burst 5: the pull must stay within 1.05x of the rate-limit floor
 *   (N - burst) / 20 s and never be refused (zero 429s counted by the server);
 * - with the limit lifted in the config (`rateLimit: false`, concurrency 8): within 1.25x of the
 *   concurrency-bound ideal N x latency / concurrency.
 * The timed figure is the programmatic `pull()` call in a child process (import excluded); the
 * child's whole wall time is in results.json too.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { childScript, lockText, makeProject, removeDir, type Bench } from "../lib/context.js";
import { ask, forkHelper, resultOf, runNode, stopHelper } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median } from "../lib/stats.js";

const API_KEY = "tk_bench_pull";
const LATENCY_MS = 25;
const RATE = { perSecond: 20, burst: 5 };
const CONCURRENCY = 8;

interface PullRun {
  requests: number;
  limited: number;
  pullMs: number;
  importMs: number;
  processWallMs: number;
  lockIdentical: boolean;
}

async function pullOnce(bench: Bench, slugs: readonly string[], limited: boolean): Promise<PullRun> {
  const config = limited ? {} : { rateLimit: false, concurrency: CONCURRENCY };
  const dir = await makeProject(bench, limited ? "pull-limited" : "pull-free", { slugs, lock: false, config });
  const mock = forkHelper(childScript("mock-server"), [
    JSON.stringify({
      corpusFile: bench.corpusFile,
      slugs,
      apiKey: API_KEY,
      latencyMs: LATENCY_MS,
      ...(limited ? { rateLimit: RATE } : {}),
    }),
  ]);
  try {
    const { url } = await ask<{ url: string }>(mock, {}, "ready");
    const expectedMs = limited ? ((slugs.length * 51) / RATE.perSecond) * 1000 : 60_000;
    const run = await runNode(childScript("pull"), [], {
      cwd: dir,
      env: { REFOLD_API_KEY: API_KEY, REFOLD_BASE_URL: url },
      timeoutMs: expectedMs * 2 + 60_000,
    });
    const { stats } = await ask<{ stats: { requests: number; limited: number } }>(mock, { type: "stats" }, "stats");
    const result = resultOf<{ pullMs: number; importMs: number }>(run);
    const written = await readFile(join(dir, "refold.lock.json"), "utf8");
    return {
      requests: stats.requests,
      limited: stats.limited,
      pullMs: result.pullMs,
      importMs: result.importMs,
      processWallMs: run.wallMs,
      lockIdentical: written === lockText(bench.corpus, slugs),
    };
  } finally {
    await stopHelper(mock);
    await removeDir(dir);
  }
}

export async function pullSection(bench: Bench): Promise<void> {
  const section = "pull";
  // Rate-limited: a 3-app subset keeps the default run practical (about 150 requests, 7.5 s); --full-pull
  // pulls the whole corpus (about 1550 requests, 77 s).
  const limitedSlugs = bench.settings.fullPull ? bench.slugs : bench.slugs.slice(0, 3);
  const limited = await pullOnce(bench, limitedSlugs, true);
  const floorMs = ((limited.requests - RATE.burst) / RATE.perSecond) * 1000;

  const free: PullRun[] = [];
  for (let r = 0; r < bench.settings.runs; r++) free.push(await pullOnce(bench, bench.slugs, false));
  const freeMs = median(free.map((run) => run.pullMs));
  const freeRequests = free[0]!.requests;
  const idealMs = (freeRequests * LATENCY_MS) / CONCURRENCY;

  const what = bench.settings.fullPull ? "whole corpus" : `${limitedSlugs.length} apps`;
  bench.figures.push(
    judge({
      id: "pull.limited",
      section,
      label: `pull at 20 req/s burst 5, 25 ms latency (${what}, ${limited.requests} requests)`,
      value: limited.pullMs,
      unit: "ms",
      baseline: { label: "rate-limit floor (N-5)/20 s", value: floorMs, unit: "ms" },
      ratio: limited.pullMs / floorMs,
      target: { on: "ratio", op: "<=", bound: 1.05, text: "<= 1.05x floor" },
      ...(limited.lockIdentical ? {} : { note: "the written lock differs from the corpus lock" }),
    }),
    judge({
      id: "pull.limited-429",
      section,
      label: "pull at 20 req/s: requests refused with 429 by the server",
      value: limited.limited,
      unit: "count",
      target: { on: "value", op: "<=", bound: 0, text: "0" },
    }),
    judge({
      id: "pull.free",
      section,
      label: `pull, rateLimit false, concurrency 8 (whole corpus, ${freeRequests} requests, median of ${free.length})`,
      value: freeMs,
      unit: "ms",
      baseline: { label: "ideal N x 25 ms / 8", value: idealMs, unit: "ms" },
      ratio: freeMs / idealMs,
      target: { on: "ratio", op: "<=", bound: 1.25, text: "<= 1.25x ideal" },
      ...(free.every((run) => run.lockIdentical) ? {} : { note: "the written lock differs from the corpus lock" }),
    }),
  );
  bench.details["pull"] = {
    latencyMs: LATENCY_MS,
    rateLimit: RATE,
    limited: { apps: limitedSlugs, floorMs, ...limited },
    free: { concurrency: CONCURRENCY, idealMs, runs: free },
  };
}

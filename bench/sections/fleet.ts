/*
 * The fleet figures of issue 20: worker processes (test/fleet/worker.ts: the generated client, bundled as an
 * app is) against the emulator enforcing Refold's documented limit (20 requests a second, burst 5), sharing
 * redisLimiter through a real redis-server (test/fleet/redis-server.ts), next to the baseline of per-process
 * clients as they were before the limiter. Needs Debian's redis-server (bash test/system-deps.sh).
 */
import { Redis } from "ioredis";
import type { MockServer } from "../../generator/mock/index.js";
import { redisLimiter } from "../../templates/runtime/index.js";
import {
  buildWorker,
  runFleet,
  spanSeconds,
  startFleetEmulator,
  type Arrival,
  type WorkerPlan,
} from "../../test/fleet/fleet.js";
import { RedisServer } from "../../test/fleet/redis-server.js";
import type { Bench } from "../lib/context.js";
import { judge, type Figure } from "../lib/report.js";

const RATE = 20;
const BURST = 5;
const API_KEY = "tk_bench_fleet_0123456789";
const SHARE = 0.5;

/** An emulator enforcing the limit, logging when each request arrived. */
class Emulator {
  private constructor(
    readonly server: MockServer,
    readonly arrivals: Arrival[],
  ) {}

  static async start(): Promise<Emulator> {
    const { server, arrivals } = await startFleetEmulator(API_KEY, { perSecond: RATE, burst: BURST });
    return new Emulator(server, arrivals);
  }

  limited(): number {
    return this.arrivals.filter((arrival) => arrival.status === 429).length;
  }

  /** Requests that arrived in [from, to). */
  between(from: number, to: number): Arrival[] {
    return this.arrivals.filter((arrival) => arrival.at >= from && arrival.at < to);
  }

  /** Writes whose body (its unique email) arrived and was answered more than once. */
  sentTwice(): number {
    const seen = new Map<string, number>();
    for (const { email, status } of this.arrivals) {
      if (email !== undefined && status !== 429) seen.set(email, (seen.get(email) ?? 0) + 1);
    }
    return [...seen.values()].filter((count) => count > 1).length;
  }

  /** The most requests answered (not refused) in any one-second window between `from` and `to`. */
  busiestSecond(from: number, to: number): number {
    const times = this.between(from, to)
      .filter((arrival) => arrival.status !== 429)
      .map((arrival) => arrival.at);
    let most = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= 1000) start++;
      most = Math.max(most, end - start + 1);
    }
    return most;
  }
}

interface Context {
  bench: Bench;
  worker: string;
  redis: RedisServer;
  scale: { processes: number; calls: number };
}

let keys = 0;

function plan(emulator: Emulator, ctx: Context, accounts: string[], extra: Partial<WorkerPlan> = {}): WorkerPlan {
  return {
    baseUrl: emulator.server.url,
    apiKey: API_KEY,
    limiter: "redis",
    redisPort: ctx.redis.port,
    key: `bench-fleet-${process.pid}-${keys}`,
    rate: RATE,
    burst: BURST,
    accounts,
    concurrency: 8,
    startAt: Date.now() + 2000,
    ...extra,
  };
}

/** One process's accounts: each call for one of three accounts of its own. */
const callsOf = (process: number, calls: number): string[] =>
  Array.from({ length: calls }, (_, call) => `acct-${process}-${call % 3}`);

async function withEmulator<T>(run: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await Emulator.start();
  try {
    return await run(emulator);
  } finally {
    await emulator.server.close();
  }
}

/** 8 processes x 150 calls: per-process clients (the baseline), then redisLimiter. */
async function shared(ctx: Context): Promise<Figure[]> {
  const { processes, calls } = ctx.scale;
  const total = processes * calls;
  const run = (limiter: WorkerPlan["limiter"]) =>
    withEmulator(async (emulator) => {
      keys++;
      const plans = Array.from({ length: processes }, (_, index) =>
        plan(emulator, ctx, callsOf(index, calls), { limiter }),
      );
      const reports = await runFleet(ctx.worker, plans);
      const made = reports.flatMap((report) => report.calls);
      const done = made.filter((call) => call.outcome === "ok").length;
      return { limited: emulator.limited(), requests: emulator.arrivals.length, done, rate: done / spanSeconds(made) };
    });
  const baseline = await run("none");
  const fleet = await run("redis");
  ctx.bench.details["fleet.shared"] = { processes, calls, baseline, fleet };
  const label = `${processes} processes x ${calls} calls, emulator at ${RATE}/s burst ${BURST}`;
  return [
    judge({
      id: "fleet.429s",
      section: "fleet",
      label: `${label}: share of calls answered 429 with redisLimiter`,
      value: (fleet.limited / total) * 100,
      unit: "%",
      baseline: { label: "per-process clients (429s per call)", value: (baseline.limited / total) * 100, unit: "%" },
      target: { on: "value", op: "<=", bound: 0.5, text: "<= 0.5% of calls see a 429" },
    }),
    judge({
      id: "fleet.rate",
      section: "fleet",
      label: `${label}: calls done per second with redisLimiter, as a share of the limit`,
      value: (fleet.rate / RATE) * 100,
      unit: "%",
      baseline: { label: "per-process clients", value: (baseline.rate / RATE) * 100, unit: "%" },
      target: { on: "value", op: ">=", bound: 90, text: ">= 90% of the limit" },
    }),
  ];
}

/** A Retry-After: 2 injected mid-run: nothing is sent until it ends, and every process resumes. */
async function retryAfter(ctx: Context): Promise<Figure[]> {
  return withEmulator(async (emulator) => {
    keys++;
    const processes = 4;
    const plans = Array.from({ length: processes }, (_, index) => plan(emulator, ctx, callsOf(index, 40)));
    const fleet = runFleet(ctx.worker, plans);
    while (emulator.arrivals.length < 60) await new Promise((resolve) => setTimeout(resolve, 10));
    emulator.server.setFaults([{ route: "execute", status: 429, retryAfter: 2, times: 1 }]);
    const calls = (await fleet).flatMap((report) => report.calls);
    const limited = emulator.arrivals.find((arrival) => arrival.status === 429 && arrival.at > 0);
    const at = limited?.at ?? NaN;
    const during = emulator.between(at + 100, at + 2000).length;
    const resumed = emulator.between(at + 2000 - 100, Infinity)[0]?.at ?? NaN;
    ctx.bench.details["fleet.retryAfter"] = {
      processes,
      failed: calls.filter((call) => call.outcome !== "ok").length,
      during,
    };
    return [
      judge({
        id: "fleet.retryAfter.sent",
        section: "fleet",
        label: `Retry-After: 2 mid-run, ${processes} processes: requests sent during the pause (after its first 100 ms)`,
        value: during,
        unit: "count",
        target: { on: "value", op: "<=", bound: 0, text: "none" },
      }),
      judge({
        id: "fleet.retryAfter.resume",
        section: "fleet",
        label: "Retry-After: 2 mid-run: from the pause's end to the next request",
        value: resumed - (at + 2000),
        unit: "ms",
        target: { on: "value", op: "<=", bound: 100, text: "<= 100 ms" },
      }),
    ];
  });
}

/** One account with 600 calls and nine with 30 each, over 3 processes, accountShare 0.5. */
async function fairness(ctx: Context): Promise<Figure[]> {
  const big = ctx.bench.settings.quick ? 200 : 600;
  const small = ctx.bench.settings.quick ? 10 : 30;
  return withEmulator(async (emulator) => {
    keys++;
    const all = [
      ...Array.from({ length: big }, () => "big"),
      ...Array.from({ length: 9 * small }, (_, i) => `small-${i % 9}`),
    ];
    const processes = 3;
    // Every call waits in its process's limiter at once, as jobs would: the limiter decides the order.
    const plans = Array.from({ length: processes }, (_, index) => {
      const accounts = all.filter((_, i) => i % processes === index);
      return plan(emulator, ctx, accounts, { accountShare: SHARE, concurrency: accounts.length, timeoutMs: 300_000 });
    });
    const calls = (await runFleet(ctx.worker, plans)).flatMap((report) => report.calls);
    const lastOf = (account: string) =>
      Math.max(...calls.filter((call) => call.account === account).map((call) => call.endedAt));
    const bigEnd = lastOf("big");
    const smallsEnd = Math.max(...Array.from({ length: 9 }, (_, i) => lastOf(`small-${i}`)));
    const smallsAfterBig = Array.from({ length: 9 }, (_, i) => lastOf(`small-${i}`)).filter(
      (end) => end > bigEnd,
    ).length;
    const start = Math.min(...calls.map((call) => call.startedAt));
    const whileOthersWait = calls.filter((call) => call.endedAt >= start && call.endedAt <= smallsEnd);
    const bigShare = whileOthersWait.filter((call) => call.account === "big").length / whileOthersWait.length;
    ctx.bench.details["fleet.fairness"] = {
      big,
      small,
      smallsAfterBig,
      bigShare,
      failed: calls.filter((c) => c.outcome !== "ok").length,
    };
    return [
      judge({
        id: "fleet.fairness.order",
        section: "fleet",
        label: `one account with ${big} calls, nine with ${small}: small accounts finishing after the big one`,
        value: smallsAfterBig,
        unit: "count",
        target: { on: "value", op: "<=", bound: 0, text: "none" },
      }),
      judge({
        id: "fleet.fairness.share",
        section: "fleet",
        label: `the big account's share of the calls while small ones wait (accountShare ${SHARE})`,
        value: bigShare * 100,
        unit: "%",
        target: { on: "value", op: "<=", bound: (SHARE + 0.05) * 100, text: `<= accountShare + 5 points` },
      }),
    ];
  });
}

/** Redis stopped at 40% of the run and restarted at 60%, with writes: "fail", then "local". */
async function outage(ctx: Context, mode: "fail" | "local"): Promise<Figure[]> {
  const processes = 4;
  const calls = ctx.bench.settings.quick ? 40 : 80;
  const seconds = (processes * calls) / RATE;
  return withEmulator(async (emulator) => {
    keys++;
    const plans = Array.from({ length: processes }, (_, index) =>
      plan(emulator, ctx, callsOf(index, calls), { write: true, onRedisError: mode, retryRefusedMs: 100 }),
    );
    const began = (plans[0] as WorkerPlan).startAt;
    const fleet = runFleet(ctx.worker, plans);
    const stopAt = began + seconds * 400;
    const restartAt = began + seconds * 600;
    await new Promise((resolve) => setTimeout(resolve, stopAt - Date.now()));
    await ctx.redis.stop();
    await new Promise((resolve) => setTimeout(resolve, restartAt - Date.now()));
    await ctx.redis.resume();
    const made = (await fleet).flatMap((report) => report.calls);
    const wrong = made.filter((call) => call.outcome !== "ok").length;
    const twice = emulator.sentTwice();
    const prefix = `Redis stopped at 40% and restarted at 60%, onRedisError "${mode}"`;
    const refused = made.reduce((sum, call) => sum + call.refused, 0);
    ctx.bench.details[`fleet.outage.${mode}`] = {
      processes,
      calls,
      wrong,
      refused,
      twice,
      limited: emulator.limited(),
    };
    const figures: Figure[] = [
      judge({
        id: `fleet.outage.${mode}.twice`,
        section: "fleet",
        label: `${prefix}: writes sent twice`,
        value: twice,
        unit: "count",
        target: { on: "value", op: "<=", bound: 0, text: "none" },
      }),
    ];
    if (mode === "fail") {
      figures.push(
        judge({
          id: "fleet.outage.fail.sent",
          section: "fleet",
          label: `${prefix}: requests sent while Redis was down (after its first 100 ms)`,
          value: emulator.between(stopAt + 100, restartAt).length,
          unit: "count",
          target: { on: "value", op: "<=", bound: 0, text: "none" },
        }),
        judge({
          id: "fleet.outage.fail.recovery",
          section: "fleet",
          label: `${prefix}: requests in the second second after the restart, as a share of the limit`,
          value:
            (emulator.between(restartAt + 1000, restartAt + 2000).filter((a) => a.status !== 429).length / RATE) * 100,
          unit: "%",
          target: { on: "value", op: ">=", bound: 90, text: ">= 90% of the rate within 2 s" },
        }),
      );
    } else {
      figures.push(
        judge({
          id: "fleet.outage.local.peak",
          section: "fleet",
          label: `${prefix}: the busiest second while Redis was down, as a multiple of the limit`,
          value: emulator.busiestSecond(stopAt, restartAt) / RATE,
          unit: "x",
          target: { on: "value", op: "<=", bound: 1.1, text: "<= 1.1x the limit" },
        }),
      );
    }
    return figures;
  });
}

/** The time one turn takes from a loopback Redis when none has to be waited for. */
async function overhead(ctx: Context): Promise<Figure[]> {
  const redis = new Redis({ host: "127.0.0.1", port: ctx.redis.port });
  await new Promise((resolve) => redis.once("ready", resolve));
  const limiter = redisLimiter({ redis, key: `bench-overhead-${process.pid}`, rate: 1e6, burst: 1e6 });
  const times: number[] = [];
  const count = ctx.bench.settings.quick ? 500 : 5000;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await limiter.acquire({ account: `a${i % 10}`, attempt: 1, deadline: Date.now() + 10_000, signal: undefined });
    times.push(performance.now() - started);
  }
  await limiter.close();
  redis.disconnect();
  times.sort((a, b) => a - b);
  const p99 = times[Math.floor(times.length * 0.99)] as number;
  ctx.bench.details["fleet.overhead"] = { count, p50: times[Math.floor(times.length / 2)], p99 };
  return [
    judge({
      id: "fleet.overhead",
      section: "fleet",
      label: `redisLimiter: one turn from loopback Redis, p99 of ${count}`,
      value: p99,
      unit: "ms",
      target: { on: "value", op: "<=", bound: 2, text: "<= 2 ms" },
    }),
  ];
}

export async function fleetSection(bench: Bench): Promise<void> {
  const quick = bench.settings.quick;
  const [worker, redis] = await Promise.all([buildWorker(), RedisServer.start()]);
  const ctx: Context = {
    bench,
    worker,
    redis,
    scale: quick ? { processes: 4, calls: 40 } : { processes: 8, calls: 150 },
  };
  try {
    for (const scenario of [
      overhead,
      shared,
      retryAfter,
      fairness,
      (c: Context) => outage(c, "fail"),
      (c: Context) => outage(c, "local"),
    ]) {
      bench.figures.push(...(await scenario(ctx)));
    }
  } finally {
    await redis.stop();
  }
}

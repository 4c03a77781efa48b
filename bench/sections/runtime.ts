/*
 * The runtime figures of issue 3: RefoldClient.run vs raw undici.request (wall and client CPU per call)
 * and vs a global-fetch client (throughput), at concurrency 32 against one loopback server in its own
 * process; then the heap after 100 000 calls.
 */
import { childScript, type Bench } from "../lib/context.js";
import { resultOf, runNode } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median } from "../lib/stats.js";

interface Round {
  client: "raw" | "refold" | "fetch" | "bound" | "forAccount";
  calls: number;
  wallMs: number;
  cpuMs: number;
  wallPerCallUs: number;
  cpuPerCallUs: number;
  callsPerSecond: number;
  serverCpuPercent: number;
}

interface RuntimeResult {
  rounds: Round[];
  forAccountHeap: { calls: number; growthMb: number; nsPerCall: number };
  heap: {
    calls: number;
    startHeapUsedMb: number;
    startRssMb: number;
    checkpoints: { calls: number; heapUsedMb: number; rssMb: number }[];
    callsPerSecond: number;
  };
}

/** Heap growth over the long run that still counts as noise: 1 MiB, i.e. about 10 bytes per call over 100 000. */
const HEAP_NOISE_MB = 1;

export async function runtimeSection(bench: Bench): Promise<void> {
  const quick = bench.settings.quick;
  const settings = {
    apps: 30,
    actionsPerApp: 50,
    forAccountCalls: 100_000,
    concurrency: 32,
    warmupCalls: quick ? 1_000 : 3_000,
    calls: quick ? 2_000 : 10_000,
    rounds: quick ? 3 : 5,
    fetchCalls: quick ? 1_000 : 4_000,
    fetchRounds: quick ? 1 : 2,
    heapCalls: quick ? 20_000 : 100_000,
    heapCheckpoints: 4,
  };
  const run = await runNode(childScript("runtime-client"), [JSON.stringify(settings)], {
    nodeFlags: ["--expose-gc"],
    timeoutMs: 600_000,
  });
  const result = resultOf<RuntimeResult>(run);
  const of = (client: Round["client"], key: keyof Round) =>
    median(result.rounds.filter((round) => round.client === client).map((round) => round[key] as number));

  const section = "runtime";
  const refoldWall = of("refold", "wallPerCallUs");
  const rawWall = of("raw", "wallPerCallUs");
  const refoldCpu = of("refold", "cpuPerCallUs");
  const rawCpu = of("raw", "cpuPerCallUs");
  const refoldRate = of("refold", "callsPerSecond");
  const fetchRate = of("fetch", "callsPerSecond");
  const boundWall = of("bound", "wallPerCallUs");
  const tenantWall = of("forAccount", "wallPerCallUs");
  const last = result.heap.checkpoints[result.heap.checkpoints.length - 1]!;
  const growth = last.heapUsedMb - result.heap.startHeapUsedMb;
  bench.figures.push(
    judge({
      id: "runtime.wall",
      section,
      label: `RefoldClient.run wall per call, concurrency 32 (median of ${settings.rounds} x ${settings.calls})`,
      value: refoldWall,
      unit: "us",
      baseline: { label: "raw undici.request", value: rawWall, unit: "us" },
      ratio: refoldWall / rawWall,
      target: { on: "ratio", op: "<=", bound: 1.15, text: "<= 1.15x raw" },
      note: `server CPU ${Math.round(of("raw", "serverCpuPercent"))}% (raw) / ${Math.round(of("refold", "serverCpuPercent"))}% (refold) of one core`,
    }),
    judge({
      id: "runtime.cpu",
      section,
      label: "RefoldClient.run client CPU per call",
      value: refoldCpu,
      unit: "us",
      baseline: { label: "raw undici.request", value: rawCpu, unit: "us" },
      ratio: refoldCpu / rawCpu,
      target: { on: "ratio", op: "<=", bound: 1.3, text: "<= 1.30x raw" },
    }),
    judge({
      id: "runtime.throughput",
      section,
      label: "RefoldClient.run throughput",
      value: refoldRate,
      unit: "calls/s",
      baseline: { label: "global fetch client", value: fetchRate, unit: "calls/s" },
      ratio: refoldRate / fetchRate,
      target: { on: "ratio", op: ">=", bound: 4, text: ">= 4x fetch" },
    }),
    judge({
      id: "runtime.forAccount",
      section,
      label: `forAccount(id) + one call, a new account per call (${settings.apps} apps x ${settings.actionsPerApp} actions; median of ${settings.rounds})`,
      value: tenantWall,
      unit: "us",
      baseline: { label: "one call on an account bound once", value: boundWall, unit: "us" },
      ratio: tenantWall / boundWall,
      target: { on: "ratio", op: "<=", bound: 1.05, text: "<= 1.05x bound" },
      note: `forAccount + app + method alone: ${Math.round(result.forAccountHeap.nsPerCall)} ns`,
    }),
    judge({
      id: "runtime.forAccountHeap",
      section,
      label: `heap growth after ${result.forAccountHeap.calls.toLocaleString("en-US")} forAccount calls (after GC)`,
      value: result.forAccountHeap.growthMb,
      unit: "MB",
      target: { on: "value", op: "<=", bound: HEAP_NOISE_MB, text: `<= ${HEAP_NOISE_MB} MB` },
    }),
    judge({
      id: "runtime.heap",
      section,
      label: `heap growth after ${settings.heapCalls.toLocaleString("en-US")} calls (after GC)`,
      value: growth,
      unit: "MB",
      baseline: { label: "heap after warm-up", value: result.heap.startHeapUsedMb, unit: "MB" },
      target: { on: "value", op: "<=", bound: HEAP_NOISE_MB, text: `<= ${HEAP_NOISE_MB} MB (noise)` },
      note: `checkpoints ${result.heap.checkpoints.map((c) => c.heapUsedMb.toFixed(2)).join(", ")} MB`,
    }),
  );
  bench.details["runtime"] = { settings, ...result, process: { wallMs: run.wallMs, maxRssMb: run.usage?.maxRssMb } };
}

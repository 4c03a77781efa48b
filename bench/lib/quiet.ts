/*
 * Background load: the share of the whole machine's CPU that other processes use while the bench itself
 * is idle (between sections). On a 2-core machine, a test suite running next to the bench halves every
 * figure; the bench waits a little for quiet and records what it saw, so that a noisy run is visible.
 */
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/** Busy share of all cores over `ms` (0..1). */
export async function machineBusy(ms = 1000): Promise<number> {
  const before = cpus();
  await sleep(ms);
  const after = cpus();
  let busy = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const a = before[i]!.times;
    const b = cpu.times;
    const idle = b.idle - a.idle;
    const all = b.user - a.user + (b.nice - a.nice) + (b.sys - a.sys) + (b.irq - a.irq) + idle;
    busy += all - idle;
    total += all;
  });
  return total === 0 ? 0 : busy / total;
}

export interface Quiet {
  /** Background CPU share when the section started (0..1). */
  busy: number;
  waitedMs: number;
}

/** Waits until other processes use less than `threshold` of the machine, for at most `maxWaitMs`. */
export async function waitForQuiet(threshold: number, maxWaitMs: number): Promise<Quiet> {
  const started = performance.now();
  let busy = await machineBusy(1000);
  while (busy > threshold && performance.now() - started + 2000 <= maxWaitMs) busy = await machineBusy(2000);
  return { busy, waitedMs: performance.now() - started };
}

/**
 * Runs one action over many inputs (typically many linked accounts) with bounded concurrency. A 429
 * pauses every worker together, and every input gets a settled result: nothing fails silently.
 */

import { RefoldRateLimitError } from "./errors.js";
import { sleep } from "./retry.js";

/** Options of `runBulk`. */
export interface RefoldBulkOptions {
  /** How many inputs run at once. Default 4 (Refold allows 20 requests per second, burst 5). */
  concurrency?: number;
  /** How many times one input is re-run after a 429 that outlasted the client's own retries. Default 3. */
  maxRateLimitRetries?: number;
  /** The pause after a 429 that carried no `Retry-After`, in ms. Default 1000. */
  rateLimitDelayMs?: number;
  /** Cap on one pause, in ms. Default 60000. */
  maxPauseMs?: number;
  /** Stops starting new inputs; those not started settle as rejected with the signal's reason. */
  signal?: AbortSignal;
}

/** One input's outcome, like `PromiseSettledResult` but with `error` instead of `reason`. */
export type RefoldBulkResult<T> = { status: "fulfilled"; value: T } | { status: "rejected"; error: unknown };

/**
 * Calls `fn` for every input, at most `concurrency` at a time, and resolves (never rejects) to one
 * settled result per input, in input order.
 */
export async function runBulk<I, T>(
  inputs: Iterable<I>,
  fn: (input: I, index: number) => Promise<T>,
  options: RefoldBulkOptions = {},
): Promise<RefoldBulkResult<T>[]> {
  const items = Array.from(inputs);
  const concurrency = positiveInteger(options.concurrency ?? 4, "concurrency");
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 3;
  const fallbackDelay = options.rateLimitDelayMs ?? 1_000;
  const maxPause = options.maxPauseMs ?? 60_000;
  const signal = options.signal;
  const results: RefoldBulkResult<T>[] = new Array<RefoldBulkResult<T>>(items.length);
  const rateLimited: number[] = new Array<number>(items.length).fill(0);
  // Inputs re-run after a 429 go first, so that one input is not starved behind the rest.
  const again: number[] = [];
  let next = 0;
  let pausedUntil = 0;

  const take = (): number | undefined => {
    if (again.length > 0) return again.shift();
    return next < items.length ? next++ : undefined;
  };

  const worker = async (): Promise<void> => {
    for (let index = take(); index !== undefined; index = take()) {
      // Every worker honours the shared pause before starting anything new.
      for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) {
        await sleep(wait, signal).catch(() => undefined);
        if (signal?.aborted) break;
      }
      if (signal?.aborted) {
        results[index] = { status: "rejected", error: signal.reason };
        continue;
      }
      try {
        results[index] = { status: "fulfilled", value: await fn(items[index] as I, index) };
      } catch (error) {
        const count = (rateLimited[index] ?? 0) + 1;
        if (isRateLimit(error) && count <= maxRateLimitRetries && !signal?.aborted) {
          rateLimited[index] = count;
          const pause = Math.min(maxPause, retryAfterMs(error) ?? fallbackDelay * 2 ** (count - 1));
          pausedUntil = Math.max(pausedUntil, Date.now() + pause);
          again.push(index);
        } else {
          results[index] = { status: "rejected", error };
        }
      }
    }
  };

  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(concurrency, items.length); i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}

function isRateLimit(error: unknown): boolean {
  return error instanceof RefoldRateLimitError || (error as { status?: unknown } | null)?.status === 429;
}

function retryAfterMs(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`runBulk: ${name} must be a whole number, 1 or more`);
  return value;
}

/** The retry policy: which failures may be retried, and how long to wait before the next attempt. */

import { onAbort } from "./abort.js";
import type { ActionKind } from "./types.js";
import {
  RefoldConnectionError,
  RefoldHttpError,
  RefoldRateLimitError,
  RefoldResponseError,
  RefoldTimeoutError,
} from "./errors.js";

/** Delay settings, as the client's resolved options name them (validated and defaulted). */
export interface RetryDelays {
  /** First backoff step; attempt n waits up to base * 2^(n-1). */
  readonly retryBaseDelayMs: number;
  /** Cap on one backoff step. */
  readonly retryMaxDelayMs: number;
  /** Cap on a server's `Retry-After`. */
  readonly retryAfterMaxMs: number;
}

/** Parses `Retry-After` (delay seconds or an HTTP date) into milliseconds from `now`; undefined if absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a date-looking value: Date.parse reads bare numbers such as "-1" as years.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Whether a failed attempt may be retried. Reads retry on 408, 429, 5xx, timeouts and broken
 * connections. Writes change the customer's app, so they retry only where the request certainly did
 * not run (429, failure to connect) unless the caller opted in with `retryWrites`.
 */
export function isRetryable(error: unknown, kind: ActionKind, retryWrites: boolean): boolean {
  if (error instanceof RefoldRateLimitError) return true;
  if (error instanceof RefoldConnectionError && error.beforeSend) return true;
  if (kind === "write" && !retryWrites) return false;
  if (error instanceof RefoldHttpError) {
    const status = error.status ?? 0;
    return status === 408 || status >= 500;
  }
  return (
    error instanceof RefoldTimeoutError ||
    error instanceof RefoldConnectionError ||
    (error instanceof RefoldResponseError && error.truncated)
  );
}

/**
 * Milliseconds to wait before retry number `retry` (1-based): the server's `Retry-After` when it sent
 * one (capped), else capped exponential backoff with full jitter so that many clients spread out.
 */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  delays: RetryDelays,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, delays.retryAfterMaxMs);
  const step = Math.min(delays.retryMaxDelayMs, delays.retryBaseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * step);
}

/** The `Retry-After` an error carried, if any. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RefoldHttpError ? error.retryAfterMs : undefined;
}

/** Resolves after `ms`; rejects with `onAborted()` as soon as `signal` aborts. Leaves no timer or listener behind. */
export function sleep(ms: number, signal?: AbortSignal, onAborted?: () => unknown): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const fail = (): void => reject(onAborted ? onAborted() : signal?.reason);
    if (signal?.aborted) {
      fail();
      return;
    }
    const unwatch = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          fail();
        })
      : undefined;
    const timer = setTimeout(() => {
      unwatch?.();
      resolve();
    }, ms);
  });
}

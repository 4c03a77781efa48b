import { parseRetryAfter, retryDelay as runtimeRetryDelay, type RetryDelays } from "../../templates/runtime/retry.js";

// One Retry-After parser and one backoff formula for the discovery client and the generated runtime.
export { parseRetryAfter };

/** Backoff settings of one client, named as the runtime's client options name them. */
export type BackoffOptions = RetryDelays;

/** HTTP statuses worth another attempt: rate limited, request timeout, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * The delay before retry number `retry` (0 for the first): the server's `Retry-After` when it sent
 * one (capped), else capped exponential backoff with full jitter (the runtime's policy).
 */
export function retryDelay(
  retry: number,
  retryAfter: string | undefined,
  options: BackoffOptions,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  return runtimeRetryDelay(retry + 1, parseRetryAfter(retryAfter, nowMs), options, random);
}

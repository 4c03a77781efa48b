/** Backoff settings of one client. */
export interface BackoffOptions {
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  retryAfterMaxMs: number;
}

/** HTTP statuses worth another attempt: rate limited, request timeout, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * The delay before retry number `retry` (0 for the first): the server's `Retry-After` when it sent
 * one (capped), else capped exponential backoff with full jitter, which spreads the retries of
 * many concurrent requests instead of sending them back in lockstep.
 */
export function retryDelay(
  retry: number,
  retryAfter: string | undefined,
  options: BackoffOptions,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  const hinted = parseRetryAfter(retryAfter, nowMs);
  if (hinted !== undefined) return Math.min(hinted, options.retryAfterMaxMs);
  const ceiling = Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Parses `Retry-After` as delta-seconds or an HTTP date into ms from `nowMs`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a date-looking value: Date.parse accepts bare numbers such as "-1" as years.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

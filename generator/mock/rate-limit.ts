/** Token-bucket settings: Refold documents 20 requests a second with a burst of 5. */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

/** A token bucket over the whole server; `take` says whether a request may pass, and if not how long to wait. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.perSecond > 0) || !Number.isFinite(options.perSecond)) {
      throw new RangeError(`rateLimit.perSecond must be a positive number, got ${String(options.perSecond)}`);
    }
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) {
      throw new RangeError(`rateLimit.burst must be at least 1, got ${String(options.burst)}`);
    }
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Takes a token: `undefined` when the request may pass, else the seconds to wait, rounded up (at least 1). */
  take(): number | undefined {
    const now = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    // Retry-After is whole seconds; rounding down would invite a retry that is refused again.
    return Math.max(1, Math.ceil((1 - this.tokens) / this.options.perSecond));
  }
}

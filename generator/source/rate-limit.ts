import { setTimeout as sleep } from "node:timers/promises";

/** A clock in milliseconds and a way to wait; injectable so the limiter can be tested without real time. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

/** Real time: a monotonic clock, unaffected by wall-clock changes. */
export const realTiming: Timing = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/** Called once the request's answer has started to arrive (or the attempt is over), to free the limiter's view of it. */
export type Arrived = () => void;

/**
 * A client-side token bucket (`perSecond` refill, `burst` capacity) shared by every request of a run,
 * so that a server enforcing exactly that limit never answers 429.
 *
 * The server counts a request when it arrives, which we cannot see: a request may reach it late (a new
 * connection, a TLS handshake, a busy event loop) while the next one, on a warm connection, arrives
 * early. Pacing by send times alone then trips the server's bucket. So each request is timed against
 * what we know for sure: request `i` arrived no earlier than we sent it and no later than its answer's
 * headers came back. Request `k` may go once, for every earlier `i` with more than `burst` requests in
 * `i..k`, `send(k) >= answered(i) + (k - i + 1 - burst) / perSecond`. That is the server's own bucket
 * condition with the worst-case arrival times, so it holds whatever the jitter. It reduces to
 * `bound(k) = max(bound(k-1), answered(k - burst)) + interval`: a full burst goes at once, then requests
 * are paced at the rate, as long as answers come back within `(burst - 1) / perSecond` (200 ms at
 * Refold's 20/s, burst 5); slower answers lower the rate instead of drawing 429s.
 */
export class RateLimiter {
  private readonly interval: number;
  /** Covers servers that time requests with a millisecond clock (`Date.now()`), which can round a gap down. */
  private readonly margin: number;
  /** When each of the last `burst` requests was answered (a promise while it is in flight), oldest first. */
  private readonly answered: Promise<number>[] = [];
  /** The earliest send time of the last reserved request, by the condition above. */
  private lastBound: Promise<number> = Promise.resolve(-Infinity);
  private notBefore = -Infinity;

  constructor(
    perSecond: number,
    private readonly burst: number,
    private readonly timing: Timing = realTiming,
  ) {
    this.interval = 1000 / perSecond;
    this.margin = Math.min(this.interval / 10, 2);
  }

  /** Resolves when the caller may send one request; the caller must call the returned function exactly once. */
  async acquire(): Promise<Arrived> {
    let arrived!: (at: number) => void;
    this.answered.push(new Promise<number>((resolve) => (arrived = resolve)));
    // The request `burst` places back: only it (and those before it, via the previous bound) constrains this one.
    const limiting = this.answered.length > this.burst ? this.answered.shift() : undefined;
    const previous = this.lastBound;
    const bound = (async () => {
      const [before, answeredAt] = await Promise.all([previous, limiting ?? -Infinity]);
      return Math.max(before + this.interval, answeredAt + this.interval);
    })();
    this.lastBound = bound;

    const earliest = await bound;
    const now = this.timing.now();
    const sendAt = Math.max(now, this.notBefore, earliest === -Infinity ? now : earliest + this.margin);
    if (sendAt > now) await this.timing.sleep(sendAt - now);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      arrived(this.timing.now());
    };
  }

  /** Holds every request back until `ms` from now (a server's Retry-After on 429 applies to the whole client). */
  pause(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.timing.now() + ms);
  }
}

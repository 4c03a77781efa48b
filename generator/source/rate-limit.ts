import { setTimeout as sleep } from "node:timers/promises";

/** A clock in milliseconds and a way to wait; injectable so the limiter can be tested without real time. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

/** Real time: a monotonic clock, unaffected by wall-clock changes. */
export const realTiming: Timing = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/**
 * A client-side token bucket (`perSecond` refill, `burst` capacity) shared by every request of a run,
 * so that a server enforcing exactly that limit never answers 429.
 *
 * Implemented as GCRA (a virtual schedule rather than a token count): each `acquire()` reserves the
 * next slot in FIFO order. A bucket at rest lets a full burst go at once, as the server's bucket is
 * then full too. Any other request that has to wait for a token goes a small `margin` after the exact
 * moment the token appears: requests reach the server with some jitter, and without the margin a
 * request sent exactly on time could arrive a hair early and find the server's bucket empty. The
 * margin shifts the schedule once; it does not accumulate, so the wall time stays at the floor.
 */
export class RateLimiter {
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly margin: number;
  /** Theoretical arrival time of the next request; undefined while the bucket has never been used. */
  private tat: number | undefined;
  /** Requests of the current burst from rest that may still go without a margin. */
  private freeLeft = 0;
  private notBefore = -Infinity;

  constructor(
    perSecond: number,
    private readonly burst: number,
    private readonly timing: Timing = realTiming,
  ) {
    this.interval = 1000 / perSecond;
    this.tolerance = (burst - 1) * this.interval;
    this.margin = Math.min(this.interval / 4, 10);
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const wait = this.reserve();
    return wait > 0 ? this.timing.sleep(wait).then(() => undefined) : Promise.resolve();
  }

  /** Reserves the next slot and returns how long to wait for it, in ms. */
  reserve(): number {
    const now = this.timing.now();
    const from = Math.max(now, this.notBefore);
    // At rest (with room for the jitter of the last requests) both buckets are full: a whole burst may go.
    if (this.tat === undefined || from >= this.tat + 2 * this.margin) {
      this.tat = from;
      this.freeLeft = this.burst;
    }
    const earliest = Math.max(from, this.tat - this.tolerance);
    let sendAt: number;
    if (this.freeLeft > 0) {
      this.freeLeft -= 1;
      sendAt = earliest;
    } else {
      sendAt = Math.max(from, this.tat - this.tolerance + this.margin);
    }
    // The schedule advances from the exact slot, not from sendAt, so margins never add up.
    this.tat = Math.max(this.tat, earliest) + this.interval;
    return sendAt - now;
  }

  /** Holds every request back until `ms` from now (a server's Retry-After on 429 applies to the whole client). */
  pause(ms: number): void {
    const until = this.timing.now() + ms;
    if (until <= this.notBefore) return;
    this.notBefore = until;
    // The server's bucket is in an unknown state after a 429: pace from the pause's end, with no free burst.
    this.tat = Math.max(this.tat ?? until, until);
    this.freeLeft = 0;
  }
}

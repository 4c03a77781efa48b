/**
 * `localLimiter`: one process's limit, kept in memory. Its store follows the same rules as the Redis store's
 * script (limiter-redis.ts), and the same tests run against both.
 */

import {
  TurnLimiter,
  turnLimits,
  type LimiterOptions,
  type RefoldLimiter,
  type Reservation,
  type TurnLimits,
  type TurnStore,
} from "./limiter.js";

/** How long an account counts as waiting after it last asked for a turn. */
export const ACTIVE_MS = 1000;

/** Limits one process ahead of the server's 429s: `createRefold({ ..., limiter: localLimiter({ rate: 20, burst: 5 }) })`. */
export function localLimiter(options: LimiterOptions): RefoldLimiter {
  const limits = turnLimits(options, "localLimiter");
  return new TurnLimiter(new MemoryTurns(limits), limits.scope);
}

/**
 * Turns kept in memory, by GCRA (the generic cell rate algorithm): `tat` is when the schedule is next free;
 * a turn may go up to `toleranceMs` ahead of it (the burst).
 */
export class MemoryTurns implements TurnStore {
  private tat = 0;
  private blockedUntil = 0;
  private readonly accountTat = new Map<string, number>();
  private readonly accountBlocks = new Map<string, number>();
  /** Accounts by when they last asked for a turn. */
  private readonly seen = new Map<string, number>();
  private budget: number;

  constructor(
    private readonly limits: TurnLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = limits.budgetReserve;
  }

  reserve(account: string, retry: boolean, maxWaitMs: number): Promise<Reservation> {
    return Promise.resolve(this.reserveNow(account, retry, maxWaitMs));
  }

  private reserveNow(account: string, retry: boolean, maxWaitMs: number): Reservation {
    const now = this.now();
    const { intervalMs, toleranceMs, shareIntervalMs, shareToleranceMs } = this.limits;
    const blocked = this.blockedNow(account, now);
    if (blocked > 0) return { kind: "blocked", waitMs: blocked };
    if (retry && this.budget < 1) return { kind: "budget" };
    const tat = Math.max(this.tat, now);
    let at = Math.max(now, tat - toleranceMs);
    const capped = this.limits.shared && this.othersWaiting(account, now);
    let accountTat = 0;
    if (capped) {
      accountTat = Math.max(this.accountTat.get(account) ?? 0, now);
      const accountAt = Math.max(now, accountTat - shareToleranceMs);
      // Over its share by more than a turn: others go first, and the schedule keeps no gap for it.
      if (accountAt > at + intervalMs) return { kind: "share", waitMs: accountAt - now };
      at = Math.max(at, accountAt);
    }
    if (at - now > maxWaitMs) return { kind: "late", waitMs: at - now };
    this.tat = Math.max(tat, at) + intervalMs;
    if (capped) this.accountTat.set(account, Math.max(accountTat, at) + shareIntervalMs);
    // Accounts come and go for as long as the process lives: forget those whose schedule is in the past.
    if (this.accountTat.size > 1000)
      for (const [other, when] of this.accountTat) if (when < now) this.accountTat.delete(other);
    this.budget = retry ? this.budget - 1 : Math.min(this.limits.budgetReserve, this.budget + this.limits.budgetRatio);
    return { kind: "turn", waitMs: at - now };
  }

  refund(account: string): Promise<void> {
    const now = this.now();
    this.tat = Math.max(now, this.tat - this.limits.intervalMs);
    const accountTat = this.accountTat.get(account);
    if (accountTat !== undefined) this.accountTat.set(account, Math.max(now, accountTat - this.limits.shareIntervalMs));
    return Promise.resolve();
  }

  blockedFor(account: string): Promise<number> {
    return Promise.resolve(this.blockedNow(account, this.now()));
  }

  block(account: string, pauseMs: number): Promise<void> {
    const until = this.now() + pauseMs;
    if (this.limits.scope === "org") this.blockedUntil = Math.max(this.blockedUntil, until);
    else this.accountBlocks.set(account, Math.max(this.accountBlocks.get(account) ?? 0, until));
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private blockedNow(account: string, now: number): number {
    const until = this.limits.scope === "org" ? this.blockedUntil : (this.accountBlocks.get(account) ?? 0);
    return Math.max(0, until - now);
  }

  /** Records that `account` waits, and says whether another account has waited within ACTIVE_MS. */
  private othersWaiting(account: string, now: number): boolean {
    this.seen.delete(account);
    let others = false;
    for (const [other, at] of this.seen) {
      if (at < now - ACTIVE_MS) this.seen.delete(other);
      else others = true;
    }
    this.seen.set(account, now);
    return others;
  }
}

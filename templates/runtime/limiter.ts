/**
 * Limiters decide when an attempt may be sent, ahead of the server's 429s. The client asks one before every
 * attempt (`acquire`) and tells it about every 429 (`rateLimited`). `localLimiter` limits one process;
 * `redisLimiter` shares one limit among every process using the same Redis and key. Both are a `TurnLimiter`
 * (this module: the process's queue of waiting calls) over a store of turns (in memory, or in Redis).
 */

import { onAbort } from "./abort.js";
import { RefoldConfigError } from "./errors.js";

/** What the client tells a limiter before each attempt. */
export interface LimiterRequest {
  /** The linked account the call runs for ("" when it names none). */
  readonly account: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** The attempt's deadline (`timeoutMs` from when it began waiting), as `Date.now()` milliseconds. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
}

/** The client option `limiter`: `localLimiter(...)`, `redisLimiter(...)`, or your own. */
export interface RefoldLimiter {
  /**
   * Resolves `true` when the attempt may be sent now, `false` to refuse a retry (a spent retry budget: the call
   * then fails with the error that asked for the retry). Rejects when no turn can be had before the deadline,
   * when the limiter's store fails, or with the signal's reason when it aborts. An error that is not a
   * RefoldError reaches the caller as a RefoldLimiterError; nothing is sent.
   */
  acquire(request: LimiterRequest): Promise<boolean>;
  /** A 429 answered a call for `account`: hold back the calls in scope for `pauseMs`. */
  rateLimited(account: string, pauseMs: number): void;
  /** Stops the limiter's timers and refuses later calls; a client's `close()` leaves a limiter alone. */
  close(): Promise<void>;
}

/** Settings shared by `localLimiter` and `redisLimiter`. */
export interface LimiterOptions {
  /** Requests per second, e.g. 20 (Refold's documented limit). */
  rate: number;
  /** Requests that may go at once after a quiet spell, e.g. 5 (Refold's documented burst). */
  burst: number;
  /**
   * Burst tokens kept back from `burst`, because requests bunch up in transit and each 429 pauses everyone.
   * Default 2 (never below a burst of 1).
   */
  headroom?: number | undefined;
  /**
   * While other linked accounts wait, no account gets more than this share of `rate` (0 < share <= 1).
   * Default 1: no cap. Waiting calls are served round-robin across accounts in any case.
   */
  accountShare?: number | undefined;
  /** Whom a 429's pause holds back: every account ("org", default) or only the account it answered. */
  scope?: "org" | "account" | undefined;
  /**
   * Retries stay under `ratio` times the first attempts, plus `reserve` (retries in hand after a quiet spell),
   * so an outage does not become a retry storm. Default `{ ratio: 0.1, reserve: 10 }`.
   */
  retryBudget?: { ratio?: number | undefined; reserve?: number | undefined } | undefined;
}

/** The limits in the units the stores work in (milliseconds, fractions allowed). */
export interface TurnLimits {
  /** Milliseconds between turns at the full rate. */
  readonly intervalMs: number;
  /** How far ahead of the schedule a turn may go: (the admitted burst - 1) intervals. */
  readonly toleranceMs: number;
  /** The same two for one account while others wait (`accountShare`). */
  readonly shareIntervalMs: number;
  readonly shareToleranceMs: number;
  /** Whether `accountShare` caps anything. */
  readonly shared: boolean;
  readonly scope: "org" | "account";
  readonly budgetRatio: number;
  readonly budgetReserve: number;
}

/** What a store answers to a request for a turn. Only "turn" reserves one. */
export type Reservation =
  | { readonly kind: "turn"; readonly waitMs: number }
  /** A 429's pause holds every call in scope back for `waitMs`. */
  | { readonly kind: "blocked"; readonly waitMs: number }
  /** The account has had its share while others wait: ask again in `waitMs`. */
  | { readonly kind: "share"; readonly waitMs: number }
  /** The next turn is beyond the caller's deadline. */
  | { readonly kind: "late"; readonly waitMs: number }
  /** A retry was asked for and the retry budget is spent. */
  | { readonly kind: "budget" };

/** Where turns are kept: one process's memory, or Redis for a fleet. Every method answers for `account`. */
export interface TurnStore {
  reserve(account: string, retry: boolean, maxWaitMs: number): Promise<Reservation>;
  /** Gives back an unused turn. Never rejects. */
  refund(account: string): Promise<void>;
  /** How long a 429's pause still holds the account back, in ms (0: not at all). */
  blockedFor(account: string): Promise<number>;
  /** Starts (or lengthens) a 429's pause. Never rejects. */
  block(account: string, pauseMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Reads and checks the options (throws RefoldConfigError naming the bad one). */
export function turnLimits(options: LimiterOptions, name: string): TurnLimits {
  if (options === null || typeof options !== "object") throw limiterConfigError(name, "options must be an object");
  const rate = positive(options.rate, "rate", name);
  const burst = positive(options.burst, "burst", name);
  const headroom = options.headroom ?? DEFAULT_HEADROOM;
  if (!(headroom >= 0) || !Number.isFinite(headroom)) throw limiterConfigError(name, "headroom must be 0 or more");
  const share = options.accountShare ?? 1;
  if (!(share > 0 && share <= 1)) throw limiterConfigError(name, "accountShare must be more than 0 and at most 1");
  const scope = options.scope ?? "org";
  if (scope !== "org" && scope !== "account") throw limiterConfigError(name, 'scope must be "org" or "account"');
  const budgetRatio = options.retryBudget?.ratio ?? 0.1;
  const budgetReserve = options.retryBudget?.reserve ?? 10;
  if (!(budgetRatio >= 0) || !(budgetReserve >= 0)) {
    throw limiterConfigError(name, "retryBudget.ratio and retryBudget.reserve must be 0 or more");
  }
  const intervalMs = 1000 / rate;
  const admitted = admittedBurst({ burst, headroom });
  const shareIntervalMs = intervalMs / share;
  return {
    intervalMs,
    toleranceMs: intervalMs * (admitted - 1),
    shareIntervalMs,
    shareToleranceMs: shareIntervalMs * (Math.max(1, Math.floor(admitted * share)) - 1),
    shared: share < 1,
    scope,
    budgetRatio,
    budgetReserve,
  };
}

/**
 * Burst tokens kept back by default. Requests granted apart arrive bunched: a process's first requests wait for
 * their connections (30-60 ms), and with one token kept back about every other start of three workers together
 * drew a 429 (examples/fleet), each pausing the fleet for a second.
 */
export const DEFAULT_HEADROOM = 2;

/** How many requests the limiter lets go at once: the burst less the headroom, at least 1. */
export function admittedBurst(options: Pick<LimiterOptions, "burst" | "headroom">): number {
  return Math.max(1, options.burst - (options.headroom ?? DEFAULT_HEADROOM));
}

function positive(value: unknown, option: string, name: string): number {
  if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
    throw limiterConfigError(name, `${option} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function limiterConfigError(name: string, message: string): RefoldConfigError {
  return new RefoldConfigError(`${name}: ${message}`);
}

/** A call waiting for its turn. */
interface Waiter {
  readonly account: string;
  readonly retry: boolean;
  readonly deadline: number;
  /** Settled (granted, refused, aborted or failed): a turn reserved for it now goes back. */
  done: boolean;
  settle(outcome: boolean | Error): void;
}

/** Late by more than this, a reserved turn goes back rather than bunch up with the turns after it. */
const LATE_MS = 100;

/**
 * One process's waiting calls, in front of a store. One turn is reserved at a time, for the next account in
 * round-robin order, so calls are served fairly across accounts, and every process of a fleet holds at most
 * one reservation: one that asks more often cannot crowd the others out. A reserved turn re-checks the
 * shared pause before it is used and is never used late.
 */
export class TurnLimiter implements RefoldLimiter {
  /** Waiting calls by account; the Map's order is the round-robin order (a served account moves to the end). */
  private readonly queues = new Map<string, Waiter[]>();
  /** Accounts that have had their share, until when. */
  private readonly heldAccounts = new Map<string, number>();
  private heldUntil = 0;
  private reserving = false;
  private wake: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly store: TurnStore,
    private readonly scope: "org" | "account",
  ) {}

  acquire(request: LimiterRequest): Promise<boolean> {
    const { signal } = request;
    if (this.closed) return Promise.reject(new Error("the limiter is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<boolean>((resolve, reject) => {
      const stop: Array<() => void> = [];
      const waiter: Waiter = {
        account: request.account,
        retry: request.attempt > 1,
        deadline: request.deadline,
        done: false,
        settle: (outcome) => {
          if (waiter.done) return;
          waiter.done = true;
          for (const undo of stop) undo();
          this.forget(waiter);
          if (typeof outcome === "boolean") resolve(outcome);
          else reject(outcome);
        },
      };
      if (signal) stop.push(onAbort(signal, () => waiter.settle(signal.reason as Error)));
      const timer = setTimeout(
        () => waiter.settle(lateError(request.deadline - Date.now())),
        request.deadline - Date.now(),
      );
      stop.push(() => clearTimeout(timer));
      const queue = this.queues.get(request.account);
      if (queue) queue.push(waiter);
      else this.queues.set(request.account, [waiter]);
      this.pump();
    });
  }

  rateLimited(account: string, pauseMs: number): void {
    if (!(pauseMs > 0)) return;
    this.hold(account, Date.now() + pauseMs);
    void this.store.block(account, pauseMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.wake);
    const closing = new Error("the limiter is closed");
    for (const queue of [...this.queues.values()]) for (const waiter of [...queue]) waiter.settle(closing);
    await this.store.close();
  }

  /** Reserves a turn for the next waiting call, unless one is being reserved or everyone is held back. */
  private pump(): void {
    if (this.reserving || this.closed) return;
    const now = Date.now();
    if (this.heldUntil > now) return this.wakeAt(this.heldUntil);
    const waiter = this.next(now);
    if (waiter === undefined) return;
    this.reserving = true;
    void this.serve(waiter).finally(() => {
      this.reserving = false;
      this.pump();
    });
  }

  /** The first waiting call of the first account not held back; that account moves to the end of the round. */
  private next(now: number): Waiter | undefined {
    let soonest = Infinity;
    for (const [account, queue] of this.queues) {
      const held = this.heldAccounts.get(account) ?? 0;
      if (held > now) {
        soonest = Math.min(soonest, held);
        continue;
      }
      this.heldAccounts.delete(account);
      this.queues.delete(account);
      this.queues.set(account, queue);
      return queue[0];
    }
    if (soonest < Infinity) this.wakeAt(soonest);
    return undefined;
  }

  private async serve(waiter: Waiter): Promise<void> {
    let turn: Reservation;
    try {
      turn = await this.store.reserve(waiter.account, waiter.retry, waiter.deadline - Date.now());
    } catch (error) {
      return waiter.settle(asError(error));
    }
    const now = Date.now();
    switch (turn.kind) {
      case "budget":
        return waiter.settle(false);
      case "late":
        return waiter.settle(lateError(turn.waitMs));
      case "blocked":
        return this.hold(waiter.account, now + turn.waitMs);
      case "share":
        this.heldAccounts.set(waiter.account, now + turn.waitMs);
        return;
      case "turn":
        return this.use(waiter, now + turn.waitMs);
    }
  }

  /** Waits for a reserved turn, then hands it to the call, or gives it back. */
  private async use(waiter: Waiter, at: number): Promise<void> {
    if (at > Date.now()) {
      await until(at, () => waiter.done);
      if (!waiter.done && Date.now() - at <= LATE_MS) {
        const blocked = await this.store.blockedFor(waiter.account).catch((error: unknown) => error);
        if (typeof blocked !== "number") return waiter.settle(asError(blocked));
        if (blocked === 0) return waiter.settle(true);
        this.hold(waiter.account, Date.now() + blocked);
      }
      await this.store.refund(waiter.account);
      return;
    }
    if (waiter.done) return this.store.refund(waiter.account);
    waiter.settle(true);
  }

  /** Holds back, until `at`, the calls a 429 for `account` concerns. */
  private hold(account: string, at: number): void {
    if (this.scope === "org") this.heldUntil = Math.max(this.heldUntil, at);
    else this.heldAccounts.set(account, Math.max(this.heldAccounts.get(account) ?? 0, at));
  }

  private forget(waiter: Waiter): void {
    const queue = this.queues.get(waiter.account);
    const index = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) this.queues.delete(waiter.account);
  }

  private wakeAt(at: number): void {
    clearTimeout(this.wake);
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, at - Date.now());
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function lateError(waitMs: number): Error {
  return new Error(
    `no turn before the call's deadline (timeoutMs): the next is ${Math.ceil(Math.max(0, waitMs))} ms away`,
  );
}

/** Resolves at `at`, or as soon as `stop()` holds when checked (every 50 ms), whichever comes first. */
function until(at: number, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = (): void => {
      const left = at - Date.now();
      if (left <= 0 || stop()) resolve();
      else setTimeout(tick, Math.min(left, 50));
    };
    tick();
  });
}

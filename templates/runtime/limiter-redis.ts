/**
 * `redisLimiter`: one limit shared by every process that uses the same Redis and key. The turns live in Redis
 * and one Lua script hands them out, atomically and on Redis's clock, by the same rules as `MemoryTurns`
 * (GCRA, a 429's pause, the accounts' shares, the retry budget). `redis` is the caller's own client: ioredis
 * (`Redis`, `Cluster`) or node-redis, told apart by shape; this module imports no Redis package.
 */

import { ACTIVE_MS, MemoryTurns } from "./limiter-local.js";
import {
  admittedBurst,
  limiterConfigError,
  TurnLimiter,
  turnLimits,
  type LimiterOptions,
  type RefoldLimiter,
  type Reservation,
  type TurnLimits,
  type TurnStore,
} from "./limiter.js";

/** Options of `redisLimiter`. */
export interface RedisLimiterOptions extends LimiterOptions {
  /** Your connected client: ioredis `Redis` or `Cluster`, or node-redis `createClient()` / `createCluster()`. */
  redis: object;
  /** The name of the shared limit: every process using the same key shares one limit. */
  key: string;
  /**
   * When Redis fails or is not ready: "fail" (default) rejects the call with RefoldLimiterError and sends
   * nothing; "local" limits each process to its share of the rate (the rate over the processes last seen)
   * until Redis answers again.
   */
  onRedisError?: "fail" | "local" | undefined;
  /** The longest one Redis command may take, in ms (a call's own deadline may cut it shorter). Default 1000. */
  redisTimeoutMs?: number | undefined;
}

/** Shares one limit across processes through Redis: `limiter: redisLimiter({ redis, key: "refold", rate: 20, burst: 5 })`. */
export function redisLimiter(options: RedisLimiterOptions): RefoldLimiter {
  const limits = turnLimits(options, "redisLimiter");
  if (typeof options.key !== "string" || options.key === "")
    throw limiterConfigError("redisLimiter", "key must be a non-empty string");
  const onRedisError = options.onRedisError ?? "fail";
  if (onRedisError !== "fail" && onRedisError !== "local") {
    throw limiterConfigError("redisLimiter", 'onRedisError must be "fail" or "local"');
  }
  const timeoutMs = options.redisTimeoutMs ?? 1000;
  if (!(timeoutMs > 0)) throw limiterConfigError("redisLimiter", "redisTimeoutMs must be a positive number");
  const store = new RedisTurns(redisCommands(options.redis), options.key, limits, timeoutMs);
  const fallback =
    onRedisError === "local" ? (processes: number) => new MemoryTurns(fallbackLimits(options, processes)) : undefined;
  return new TurnLimiter(fallback ? new FallbackTurns(store, fallback) : store, limits.scope);
}

/** The two commands the limiter needs, whichever client runs them. */
export interface RedisCommands {
  /** Whether a command sent now goes out now (a disconnected client would queue it, or fail it later). */
  ready(): boolean;
  evalsha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

type Method = (...args: unknown[]) => Promise<unknown>;

/** ioredis or node-redis, by shape. */
export function redisCommands(redis: object): RedisCommands {
  const client = redis as Record<string, unknown> | null;
  if (client !== null && typeof client === "object") {
    if (typeof client["evalsha"] === "function" && typeof client["status"] === "string") {
      const call = (name: string, first: string, keys: string[], args: string[]): Promise<unknown> =>
        (client[name] as Method).call(client, first, keys.length, ...keys, ...args);
      return {
        ready: () => client["status"] === "ready",
        evalsha: (sha, keys, args) => call("evalsha", sha, keys, args),
        eval: (script, keys, args) => call("eval", script, keys, args),
      };
    }
    if (typeof client["evalSha"] === "function" && typeof client["eval"] === "function") {
      const call = (name: string, first: string, keys: string[], args: string[]): Promise<unknown> =>
        (client[name] as Method).call(client, first, { keys, arguments: args });
      return {
        ready: () => client["isReady"] !== false,
        evalsha: (sha, keys, args) => call("evalSha", sha, keys, args),
        eval: (script, keys, args) => call("eval", script, keys, args),
      };
    }
  }
  throw limiterConfigError("redisLimiter", "redis must be an ioredis client (Redis or Cluster) or a node-redis client");
}

/**
 * The store's one script. Times are microseconds on Redis's clock; waits come back in whole milliseconds,
 * rounded up. Reserve answers { kind, waitMs, processes }: kind 0 turn, 1 blocked, 2 share, 3 late, 4 budget.
 * Values are written with %.0f / %.6f: Lua's tostring would round a microsecond clock to 14 digits.
 */
export const TURNS_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local op = ARGV[1]
local function num(key) return tonumber(redis.call('GET', key) or '0') end
local function put(key, value) redis.call('SET', key, string.format('%.0f', value), 'PX', math.max(1, math.ceil((value - now) / 1000))) end
local function ms(us) return math.ceil(us / 1000) end
if op == 'block' then
  local untilUs = now + tonumber(ARGV[13])
  if untilUs > num(KEYS[2]) then put(KEYS[2], untilUs) end
  return 0
end
local blocked = num(KEYS[2]) - now
if op == 'blocked' then if blocked > 0 then return ms(blocked) end return 0 end
local interval = tonumber(ARGV[3])
if op == 'refund' then
  local tat = num(KEYS[1])
  if tat - interval > now then put(KEYS[1], tat - interval) end
  local accountTat = num(KEYS[3])
  if accountTat - tonumber(ARGV[5]) > now then put(KEYS[3], accountTat - tonumber(ARGV[5])) end
  return 0
end
redis.call('ZADD', KEYS[6], now, ARGV[12])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - 10000000)
redis.call('PEXPIRE', KEYS[6], 60000)
local processes = redis.call('ZCARD', KEYS[6])
if blocked > 0 then return {1, ms(blocked), processes} end
local retry = ARGV[8] == '1'
local budget = tonumber(redis.call('GET', KEYS[5]) or ARGV[11])
if retry and budget < 1 then return {4, 0, processes} end
local tat = math.max(num(KEYS[1]), now)
local at = math.max(now, tat - tonumber(ARGV[4]))
local capped = false
local accountTat = 0
if ARGV[7] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[14]))
  local others = redis.call('ZCARD', KEYS[4])
  if redis.call('ZSCORE', KEYS[4], ARGV[2]) then others = others - 1 end
  redis.call('ZADD', KEYS[4], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[4], 60000)
  if others > 0 then
    capped = true
    accountTat = math.max(num(KEYS[3]), now)
    local accountAt = math.max(now, accountTat - tonumber(ARGV[6]))
    if accountAt > at + interval then return {2, ms(accountAt - now), processes} end
    at = math.max(at, accountAt)
  end
end
if at - now > tonumber(ARGV[9]) then return {3, ms(at - now), processes} end
put(KEYS[1], math.max(tat, at) + interval)
if capped then put(KEYS[3], math.max(accountTat, at) + tonumber(ARGV[5])) end
if retry then budget = budget - 1 else budget = math.min(tonumber(ARGV[11]), budget + tonumber(ARGV[10])) end
redis.call('SET', KEYS[5], string.format('%.6f', budget), 'PX', 600000)
return {0, ms(at - now), processes}
`;

/** SHA-1 of TURNS_SCRIPT, for EVALSHA (a test holds it equal). */
export const TURNS_SCRIPT_SHA = "06f1b84ca2c51243c3096d26561a9e5dad90b801";

const KINDS = ["turn", "blocked", "share", "late", "budget"] as const;

/** Turns kept in Redis under `{key}:...` (one hash slot, so a Cluster runs the script on one node). */
export class RedisTurns implements TurnStore {
  /** How many processes used the limit in the last 10 s, as of the last answer. */
  processes = 1;
  private readonly prefix: string;
  private readonly id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly redis: RedisCommands,
    key: string,
    private readonly limits: TurnLimits,
    private readonly timeoutMs: number,
  ) {
    this.prefix = `{${key}}:`;
  }

  async reserve(account: string, retry: boolean, maxWaitMs: number): Promise<Reservation> {
    const reply = await this.run("reserve", account, retry, maxWaitMs, 0, maxWaitMs);
    const [code, waitMs, processes] = Array.isArray(reply) && reply.length === 3 ? reply.map(Number) : [];
    const kind = KINDS[code ?? -1];
    if (kind === undefined) throw new Error(`unexpected answer from the limiter's script: ${JSON.stringify(reply)}`);
    this.processes = Math.max(1, processes ?? 1);
    return kind === "budget" ? { kind } : { kind, waitMs: waitMs ?? 0 };
  }

  async refund(account: string): Promise<void> {
    await this.run("refund", account, false, 0, 0).catch(() => undefined);
  }

  async blockedFor(account: string): Promise<number> {
    return Number(await this.run("blocked", account, false, 0, 0));
  }

  async block(account: string, pauseMs: number): Promise<void> {
    await this.run("block", account, false, 0, pauseMs).catch(() => undefined);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private run(
    op: string,
    account: string,
    retry: boolean,
    maxWaitMs: number,
    pauseMs: number,
    boundMs = this.timeoutMs,
  ): Promise<unknown> {
    if (!this.redis.ready())
      return Promise.reject(new Error("the Redis client is not ready (disconnected or still connecting)"));
    const p = this.prefix;
    const blockKey = this.limits.scope === "org" ? `${p}block` : `${p}block:${account}`;
    const keys = [`${p}tat`, blockKey, `${p}account:${account}`, `${p}waiting`, `${p}budget`, `${p}processes`];
    const { limits } = this;
    const us = (ms: number): string => String(Math.round(ms * 1000));
    // ARGV[1] to ARGV[14], in the order the script reads them.
    const args = [
      op,
      account,
      us(limits.intervalMs),
      us(limits.toleranceMs),
      us(limits.shareIntervalMs),
      us(limits.shareToleranceMs),
      limits.shared ? "1" : "0",
      retry ? "1" : "0",
      String(Math.max(0, Math.floor(maxWaitMs * 1000))),
      String(limits.budgetRatio),
      String(limits.budgetReserve),
      this.id,
      us(pauseMs),
      String(ACTIVE_MS * 1000),
    ];
    const sent = this.redis.evalsha(TURNS_SCRIPT_SHA, keys, args).catch((error: unknown) => {
      // After a restart or a SCRIPT FLUSH Redis no longer knows the script: EVAL sends (and caches) it.
      if (String((error as Error | null)?.message).startsWith("NOSCRIPT"))
        return this.redis.eval(TURNS_SCRIPT, keys, args);
      throw error;
    });
    return bounded(sent, Math.min(this.timeoutMs, Math.max(1, boundMs)));
  }
}

/** Rejects if `promise` has not settled within `ms`. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${Math.round(ms)} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const REDIS_RETRY_MS = 250;

/** `onRedisError: "local"`: Redis while it answers, else this process's share of the limit, in memory. */
class FallbackTurns implements TurnStore {
  private local: MemoryTurns | undefined;
  /** While local, Redis is asked again only from then on: a hung Redis would cost every call a timeout. */
  private retryRedisAt = 0;

  constructor(
    private readonly redis: RedisTurns,
    private readonly fallback: (processes: number) => MemoryTurns,
  ) {}

  async reserve(account: string, retry: boolean, maxWaitMs: number): Promise<Reservation> {
    if (this.local === undefined || Date.now() >= this.retryRedisAt) {
      try {
        const turn = await this.redis.reserve(account, retry, maxWaitMs);
        this.local = undefined;
        return turn;
      } catch {
        this.local ??= this.fallback(this.redis.processes);
        this.retryRedisAt = Date.now() + REDIS_RETRY_MS;
      }
    }
    return (this.local ?? this.fallback(this.redis.processes)).reserve(account, retry, maxWaitMs);
  }

  refund(account: string): Promise<void> {
    return this.local ? this.local.refund(account) : this.redis.refund(account);
  }

  async blockedFor(account: string): Promise<number> {
    if (this.local) return this.local.blockedFor(account);
    return this.redis.blockedFor(account).catch(() => 0);
  }

  async block(account: string, pauseMs: number): Promise<void> {
    await Promise.all([this.local?.block(account, pauseMs), this.redis.block(account, pauseMs)]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** This process's share of the limit while Redis is away: the rate and burst over the processes last seen. */
function fallbackLimits(options: LimiterOptions, processes: number): TurnLimits {
  const admitted = admittedBurst(options);
  return turnLimits(
    { ...options, rate: options.rate / processes, burst: Math.max(1, Math.floor(admitted / processes)), headroom: 0 },
    "redisLimiter",
  );
}

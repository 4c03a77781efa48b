/**
 * One worker process of a fleet, as users run one: the generated client (generated/index.ts), sharing a limit
 * through Redis (ioredis) or not, making its planned calls with bounded concurrency. Bundled and started by
 * fleet.ts; prints one JSON report. Used by test/fleet and by the bench's fleet section.
 */

import { Redis } from "ioredis";
import { createRefold, localLimiter, redisLimiter, type RefoldLimiter } from "../../generated/index.js";

export interface WorkerPlan {
  baseUrl: string;
  apiKey: string;
  /** "none": today's client alone (a 429 pauses this process only). */
  limiter: "none" | "local" | "redis";
  redisPort?: number;
  key?: string;
  rate: number;
  burst: number;
  accountShare?: number;
  onRedisError?: "fail" | "local";
  /** The linked account of every call, in order. */
  accounts: string[];
  concurrency: number;
  /** `Date.now()` at which every worker starts, so that the fleet starts together. */
  startAt: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Create contacts (a write, each with its own email) instead of reading. */
  write?: boolean;
  /** As a job queue would: a call the limiter refused is tried again after this many ms (default: not). */
  retryRefusedMs?: number;
}

export interface CallRecord {
  account: string;
  startedAt: number;
  endedAt: number;
  /** "ok", or the error's name. */
  outcome: string;
  attempts: number;
  /** How often the limiter refused it before it ran (with `retryRefusedMs`). */
  refused: number;
}

export interface WorkerReport {
  calls: CallRecord[];
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? "{}") as WorkerPlan;
  const redis =
    plan.limiter === "redis"
      ? new Redis({ host: "127.0.0.1", port: plan.redisPort ?? 6379, retryStrategy: () => 50, maxRetriesPerRequest: 1 })
      : undefined;
  redis?.on("error", () => undefined);
  if (redis !== undefined) await new Promise((resolve) => redis.once("ready", resolve));
  const options = { rate: plan.rate, burst: plan.burst, accountShare: plan.accountShare };
  const limiter: RefoldLimiter | undefined =
    plan.limiter === "redis" && redis !== undefined
      ? redisLimiter({ ...options, redis, key: plan.key ?? "refold", onRedisError: plan.onRedisError ?? "fail" })
      : plan.limiter === "local"
        ? localLimiter(options)
        : undefined;
  const refold = createRefold({
    apiKey: plan.apiKey,
    baseUrl: plan.baseUrl,
    ...(limiter ? { limiter } : {}),
    ...(plan.timeoutMs !== undefined ? { timeoutMs: plan.timeoutMs } : {}),
    ...(plan.maxRetries !== undefined ? { maxRetries: plan.maxRetries } : {}),
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, plan.startAt - Date.now())));
  const calls: CallRecord[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < plan.accounts.length; index = next++) {
      const account = plan.accounts[index] as string;
      const startedAt = Date.now();
      const record = { account, startedAt, endedAt: 0, outcome: "ok", attempts: 1, refused: 0 };
      for (;;) {
        try {
          const options = { linkedAccountId: account };
          if (plan.write) await refold.hubspot.createContact({ email: `${process.pid}-${index}@example.com` }, options);
          else await refold.hubspot.getContact({}, options);
          record.outcome = "ok";
        } catch (error) {
          record.outcome = (error as Error).name;
          record.attempts = (error as { attempts?: number }).attempts ?? 0;
          if (record.outcome === "RefoldLimiterError" && plan.retryRefusedMs !== undefined) {
            record.refused++;
            await new Promise((resolve) => setTimeout(resolve, plan.retryRefusedMs));
            continue;
          }
        }
        break;
      }
      record.endedAt = Date.now();
      calls.push(record);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
  await refold.close();
  await limiter?.close();
  redis?.disconnect();
  const report: WorkerReport = { calls };
  process.stdout.write(JSON.stringify(report));
}

void main();

/**
 * One worker process of the fleet. Run as many as you like (run.ts starts WORKERS of them): they share one
 * rate limit through redisLimiter, so together they stay under Refold's limit instead of retrying into each
 * other's 429s. A 429 that still gets through pauses the whole queue for its Retry-After.
 */

import { Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  createRefold,
  redisLimiter,
  RefoldAuthenticationError,
  RefoldLimiterError,
  RefoldNotFoundError,
  RefoldRateLimitError,
  RefoldValidationError,
} from "../generated/index.js";
import { BURST, CONCURRENCY, QUEUE, RATE, REDIS_URL, syncs, type SyncJob } from "./config.js";

/** What a worker tells run.ts when it stops. */
export interface WorkerReport {
  pid: number;
  completed: number;
  failed: number;
  /** Responses answered 429, retried by the client or not. */
  rateLimited: number;
  /** Times this worker paused the queue for a 429's Retry-After. */
  pauses: number;
  /** Calls the limiter refused (Redis unavailable, no turn before the deadline), left to BullMQ to retry. */
  limiterErrors: number;
}

const report: WorkerReport = { pid: process.pid, completed: 0, failed: 0, rateLimited: 0, pauses: 0, limiterErrors: 0 };

// The limiter's own client: commands fail fast rather than queue (the limiter then rejects the call with
// RefoldLimiterError and sends nothing), and reconnects are quick and bounded (ioredis backs off up to 5 s).
const redis = new Redis(REDIS_URL, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => Math.min(50 * times, 500),
});
redis.on("error", (error: Error) => console.error(`worker ${process.pid}: limiter's Redis: ${error.message}`));
await redis.connect();

const limiter = redisLimiter({ redis, key: `refold:${QUEUE}`, rate: RATE, burst: BURST });
const refold = createRefold({
  apiKey: process.env["REFOLD_API_KEY"] ?? "",
  ...(process.env["REFOLD_BASE_URL"] ? { baseUrl: process.env["REFOLD_BASE_URL"] } : {}),
  limiter,
  onResponse: (event) => {
    if (event.status === 429) report.rateLimited++;
  },
});

// BullMQ opens its own connections (with maxRetriesPerRequest: null, as its blocking commands need).
const connection = { url: REDIS_URL };
const queue = new Queue<SyncJob>(QUEUE, { connection });

const worker = new Worker<SyncJob>(
  QUEUE,
  async (job) => {
    const { account, sync } = job.data;
    try {
      return await syncs[sync](refold.forAccount(account));
    } catch (error) {
      if (error instanceof RefoldRateLimitError) {
        // The limiter already holds every process back; this stops the queue handing out jobs meanwhile,
        // and puts this job back in the wait list without spending an attempt.
        report.pauses++;
        await queue.rateLimit(error.retryAfterMs ?? 1000);
        throw Worker.RateLimitError();
      }
      if (error instanceof RefoldLimiterError) report.limiterErrors++;
      if (
        error instanceof RefoldValidationError ||
        error instanceof RefoldAuthenticationError ||
        error instanceof RefoldNotFoundError
      ) {
        throw new UnrecoverableError(error.message); // retrying cannot help
      }
      throw error; // RefoldLimiterError, 5xx, timeouts: BullMQ retries with the job's attempts and backoff
    }
  },
  {
    connection,
    concurrency: CONCURRENCY,
    // BullMQ honours queue.rateLimit only for workers with a limiter (its `max` turns the check on). This one
    // is deliberately loose: redisLimiter paces the calls.
    limiter: { max: 1000, duration: 1000 },
  },
);
worker.on("completed", () => report.completed++);
worker.on("failed", (job) => {
  if (job?.finishedOn !== undefined) report.failed++; // out of attempts (a retry leaves it unset)
});
worker.on("error", (error) => console.error(`worker ${process.pid}: ${error.message}`));

async function stop(): Promise<void> {
  await worker.close(); // lets the running jobs finish
  await queue.close();
  await refold.close();
  await limiter.close();
  redis.disconnect();
  if (process.send) process.send(report, () => process.exit(0));
  else console.log(JSON.stringify(report));
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
process.send?.({ ready: true });

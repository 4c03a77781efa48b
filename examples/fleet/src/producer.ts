/**
 * Enqueues one sync job per linked account and sync, as a scheduler would. Run on its own:
 * `ACCOUNTS=20 node dist/src/producer.js`; run.ts calls `enqueueSyncs` itself.
 */

import { pathToFileURL } from "node:url";
import { Queue } from "bullmq";
import { QUEUE, REDIS_URL, syncs, type SyncJob, type SyncName } from "./config.js";

export async function enqueueSyncs(queue: Queue<SyncJob>, accounts: string[]): Promise<number> {
  const jobs = accounts.flatMap((account) =>
    (Object.keys(syncs) as SyncName[]).map((sync) => ({
      name: sync,
      data: { account, sync },
      opts: {
        // A call the limiter could not admit (Redis down, no turn before the deadline) is tried again later.
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    })),
  );
  await queue.addBulk(jobs);
  return jobs.length;
}

/** `customer-1` ... `customer-<count>`: stand-ins for your customers' linked accounts. */
export function linkedAccounts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `customer-${index + 1}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const queue = new Queue<SyncJob>(QUEUE, { connection: { url: REDIS_URL } });
  const count = await enqueueSyncs(queue, linkedAccounts(Number(process.env["ACCOUNTS"] ?? 20)));
  console.log(`enqueued ${count} sync jobs on ${QUEUE}`);
  await queue.close();
}

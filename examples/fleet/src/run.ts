/**
 * Runs the fleet on one machine: starts WORKERS worker processes, enqueues one sync job per linked account
 * and sync (ACCOUNTS accounts), waits until the queue is drained, stops the workers and prints a summary.
 * `--json` prints the summary as JSON. Exits 1 when a job failed.
 */

import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue } from "bullmq";
import { QUEUE, REDIS_URL, type SyncJob } from "./config.js";
import { enqueueSyncs, linkedAccounts } from "./producer.js";
import type { WorkerReport } from "./worker.js";

const WORKERS = Number(process.env["WORKERS"] ?? 4);
const ACCOUNTS = Number(process.env["ACCOUNTS"] ?? 20);

const workers: ChildProcess[] = Array.from({ length: WORKERS }, () => fork(new URL("./worker.js", import.meta.url)));
const reports = workers.map(
  (child) =>
    new Promise<WorkerReport>((resolve, reject) => {
      child.on("message", (message: WorkerReport | { ready: true }) => {
        if (!("ready" in message)) resolve(message);
      });
      child.once("exit", (code) =>
        reject(new Error(`worker ${String(child.pid)} exited with ${String(code)} before reporting`)),
      );
    }),
);
await Promise.all(workers.map((child) => once(child, "message")));

const queue = new Queue<SyncJob>(QUEUE, { connection: { url: REDIS_URL } });
const started = Date.now();
const jobs = await enqueueSyncs(queue, linkedAccounts(ACCOUNTS));
for (;;) {
  const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized", "waiting-children");
  if (Object.values(counts).every((count) => count === 0)) break;
  await sleep(100);
}
const seconds = (Date.now() - started) / 1000;
await queue.close();

for (const child of workers) child.kill("SIGTERM");
const done = await Promise.all(reports);
const sum = (field: Exclude<keyof WorkerReport, "pid">): number =>
  done.reduce((total, report) => total + report[field], 0);
const summary = {
  workers: WORKERS,
  jobs,
  completed: sum("completed"),
  failed: sum("failed"),
  rateLimited: sum("rateLimited"),
  pauses: sum("pauses"),
  limiterErrors: sum("limiterErrors"),
  seconds,
};
if (process.argv.includes("--json")) console.log(JSON.stringify(summary));
else {
  console.log(
    `${WORKERS} workers: ${summary.completed} of ${jobs} jobs done in ${seconds.toFixed(1)} s (${(summary.completed / seconds).toFixed(1)} a second), ${summary.failed} failed`,
  );
  console.log(
    `429s seen: ${summary.rateLimited} (queue paused ${summary.pauses} times); limiter errors retried: ${summary.limiterErrors}`,
  );
}
process.exitCode = summary.failed > 0 ? 1 : 0;

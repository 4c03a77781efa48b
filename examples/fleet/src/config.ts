/** Settings every process of the fleet reads from its environment, and the syncs a job can run. */

import type { RefoldAccount } from "../generated/index.js";

const env = process.env;

/** BullMQ's queue and the limiter both live here. `127.0.0.1`, not `localhost`: IPv6 may answer first. */
export const REDIS_URL = env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
export const QUEUE = env["QUEUE"] ?? "refold-sync";
/** Refold's documented limit: 20 requests a second with a burst of 5, shared by every worker. */
export const RATE = Number(env["RATE"] ?? 20);
export const BURST = Number(env["BURST"] ?? 5);
/** Jobs one worker process runs at once; they all wait for the shared limiter. */
export const CONCURRENCY = Number(env["CONCURRENCY"] ?? 8);

/** What one job syncs for one linked account: one typed call each. */
export const syncs = {
  "hubspot-contacts": (account: RefoldAccount) => account.hubspot.getContact({ limit: "100" }),
  "salesforce-contacts": (account: RefoldAccount) =>
    account.salesforce.getContacts({ order_by: "LastModifiedDate DESC" }),
  "jira-projects": (account: RefoldAccount) => account.jira.listProjects({ order_by: "lastIssueUpdatedTime" }),
} satisfies Record<string, (account: RefoldAccount) => Promise<unknown>>;

export type SyncName = keyof typeof syncs;

export interface SyncJob {
  /** The customer's linked account. */
  account: string;
  sync: SyncName;
}

import type { Stats } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CodegenError, ExitCode } from "../diagnostics.js";

/*
 * One run at a time per output folder. Two runs that read and replace the same folder at once (a
 * `generate --watch` and a build's `generate`, two tasks of a monorepo) would read a folder in the middle
 * of being swapped, or swap it under each other, and fail. The lock is a file beside the output folder,
 * created exclusively; a run that finds it waits for it to go. A lock whose process is gone (same host, pid
 * not running: a run killed mid-way) is taken over.
 */

/** Who holds an output folder's lock. */
export interface LockHolder {
  pid: number;
  host: string;
}

export interface OutputLockOptions {
  /** Told once, when the run has to wait for another. */
  onWait?: (holder: LockHolder, lockPath: string) => void;
  /** How long to wait before failing; default 10 minutes (a pull of many apps can take minutes). */
  timeoutMs?: number;
}

/** Runs `body` holding the output folder's lock. */
export async function withOutputLock<T>(
  outputDir: string,
  body: () => Promise<T>,
  options: OutputLockOptions = {},
): Promise<T> {
  const path = outputLockPath(outputDir);
  await acquire(path, options);
  try {
    return await body();
  } finally {
    await rm(path, { force: true });
  }
}

/** The lock file of an output folder: beside it, so that replacing the folder leaves the lock alone. */
export function outputLockPath(outputDir: string): string {
  return join(dirname(outputDir), `.${basename(outputDir)}.refold-lock`);
}

const POLL_MS = 50;

async function acquire(path: string, options: OutputLockOptions): Promise<void> {
  const me: LockHolder = { pid: process.pid, host: hostname() };
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let told = false;
  for (;;) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: "wx" });
      return;
    } catch (error) {
      // No parent folder: the output's parent does not exist yet either, so no other run can be writing it.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const lock = await inspect(path);
    if (lock.state === "gone") continue;
    if (lock.state === "abandoned") {
      await removeIfSame(path, lock.file);
      continue;
    }
    if (Date.now() > deadline) throw timedOut(path, lock.holder);
    if (!told) options.onWait?.(lock.holder, path);
    told = true;
    await sleep(POLL_MS);
  }
}

/** A holder that has created the lock file has written it within this time, unless it was killed. */
const WRITE_GRACE_MS = 2_000;

type Inspected = { state: "gone" } | { state: "abandoned"; file: Stats } | { state: "held"; holder: LockHolder };

/** What the lock file says now: released meanwhile, left by a process that is gone, or held. */
async function inspect(path: string): Promise<Inspected> {
  let text: string;
  let info: Stats;
  try {
    [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
  } catch {
    return { state: "gone" };
  }
  const holder = holderIn(text);
  if (holder === undefined) {
    // Created, not written yet: its holder is between the two calls, or was killed between them.
    const abandoned = Date.now() - info.mtimeMs > WRITE_GRACE_MS;
    return abandoned ? { state: "abandoned", file: info } : { state: "held", holder: { pid: 0, host: "unknown" } };
  }
  return isGone(holder) ? { state: "abandoned", file: info } : { state: "held", holder };
}

function holderIn(text: string): LockHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { pid, host } = parsed as Partial<LockHolder>;
    return typeof pid === "number" && pid > 0 && typeof host === "string" ? { pid, host } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes an abandoned lock unless another run replaced it since it was inspected (two runs taking over
 * the same abandoned lock: the later removal must not remove the earlier run's fresh lock, whose inode
 * number may be the old one's, but not its change time as well).
 */
async function removeIfSame(path: string, inspected: Stats): Promise<void> {
  const now = await stat(path).catch(() => undefined);
  if (now?.ino === inspected.ino && now.ctimeMs === inspected.ctimeMs && now.size === inspected.size)
    await rm(path, { force: true });
}

/** True when the holder's process is known to be gone: it ran on this host and no process has its pid. */
function isGone(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: a process with that pid exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function timedOut(path: string, holder: LockHolder): CodegenError {
  const message = `another refold-codegen run (pid ${holder.pid} on ${holder.host}) still holds ${path}`;
  return new CodegenError(message, ExitCode.usage, [
    {
      severity: "error",
      code: "output-locked",
      message,
      hint: "wait for that run to finish; if no run is going (its machine restarted), delete the lock file",
    },
  ]);
}

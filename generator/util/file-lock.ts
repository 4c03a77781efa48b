import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { open, readFile, rm, stat, utimes } from "node:fs/promises";
import { codegenError, type CodegenError } from "./diagnostics.js";

/*
 * An exclusive lock on a file that several processes read, change and replace (`record` merging into the
 * results file): `<file>.lock`, created with `open(path, "wx")`, which exactly one process wins. It holds the
 * holder's pid, host and a random token, and its mtime is refreshed while held. A lock is stale, and taken
 * over, when its holder is a process of this host that no longer runs, or when it has not been refreshed for
 * `staleMs` (a holder on another host, a reused pid, a frozen process). Taking a stale lock over happens
 * under a second exclusive file, `<file>.lock.break`, so two waiters never both remove it: the second would
 * remove the first one's fresh lock.
 */

export interface FileLockOptions {
  /** Give up waiting after this long (default 120 s). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s; the holder refreshes it every third of that). */
  staleMs?: number;
}

interface Holder {
  pid?: number;
  host?: string;
  token?: string;
  ino: number;
  mtimeMs: number;
}

const BREAK_STALE_MS = 10_000;

/** Runs `work` while holding the lock of `target`; the lock is released however `work` ends. */
export async function withFileLock<T>(
  target: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${target}.lock`;
  const staleMs = options.staleMs ?? 30_000;
  const token = randomBytes(8).toString("hex");
  await acquire(lockPath, token, staleMs, options.timeoutMs ?? 120_000);
  const refresh = setInterval(
    () => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => undefined);
    },
    Math.max(10, Math.floor(staleMs / 3)),
  );
  refresh.unref();
  try {
    return await work();
  } finally {
    clearInterval(refresh);
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, token: string, staleMs: number, timeoutMs: number): Promise<void> {
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), token })}\n`;
  const started = Date.now();
  let wait = 5;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        throw lockError(lockPath, `cannot be created: ${(error as Error).message}`);
    }
    if (await breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() - started > timeoutMs) {
      const holder = await readHolder(lockPath);
      const who =
        holder?.pid !== undefined
          ? `process ${holder.pid}${holder.host !== undefined ? ` on ${holder.host}` : ""}`
          : "another process";
      throw lockError(lockPath, `is still held by ${who} after ${Math.round(timeoutMs / 1000)} s`);
    }
    // Jittered backoff, so that many waiters do not retry in step.
    await sleep(wait / 2 + Math.random() * wait);
    wait = Math.min(wait * 2, 200);
  }
}

/** Removes the lock when its holder is gone; true when the caller should try to take it right away. */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const holder = await readHolder(lockPath);
  if (holder === undefined) return true;
  if (!isStale(holder, staleMs)) return false;
  const guard = `${lockPath}.break`;
  try {
    await (await open(guard, "wx")).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST")
      throw lockError(lockPath, `cannot be taken over: ${(error as Error).message}`);
    // Another waiter is taking it over; a guard left by a crash between two calls is removed by its age.
    const left = await stat(guard).catch(() => undefined);
    if (left !== undefined && Date.now() - left.mtimeMs > BREAK_STALE_MS) await rm(guard, { force: true });
    return false;
  }
  try {
    // Judged again under the guard: the lock may have been released and taken since.
    const again = await readHolder(lockPath);
    if (again !== undefined && again.ino === holder.ino && again.token === holder.token && isStale(again, staleMs))
      await rm(lockPath, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
  return true;
}

function isStale(holder: Holder, staleMs: number): boolean {
  if (Date.now() - holder.mtimeMs > staleMs) return true;
  // A holder of this host that no longer runs. (A lock still being written has no pid yet: its age decides.)
  return holder.pid !== undefined && holder.host === hostname() && !isRunning(holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(lockPath: string): Promise<Holder | undefined> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, "utf8")]);
    const holder: Holder = { ino: info.ino, mtimeMs: info.mtimeMs };
    try {
      const parsed = JSON.parse(text) as { pid?: unknown; host?: unknown; token?: unknown };
      if (typeof parsed.pid === "number") holder.pid = parsed.pid;
      if (typeof parsed.host === "string") holder.host = parsed.host;
      if (typeof parsed.token === "string") holder.token = parsed.token;
    } catch {
      // Being written, or not ours: judged by its age alone.
    }
    return holder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw lockError(lockPath, `cannot be read: ${(error as Error).message}`);
  }
}

/** Removes the lock if it is still ours (a waiter may have judged it stale and taken it over). */
async function release(lockPath: string, token: string): Promise<void> {
  const holder = await readHolder(lockPath).catch(() => undefined);
  if (holder?.token === token) await rm(lockPath, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function lockError(lockPath: string, problem: string): CodegenError {
  return codegenError(
    `the lock file ${lockPath} ${problem}`,
    "file-lock",
    "another refold-codegen may be writing the same file; if none is running, delete the lock file",
  );
}

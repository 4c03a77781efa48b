/*
 * Child processes for the bench: every measured program runs in its own Node process, timed from spawn
 * to exit by the parent, with its peak RSS and CPU reported by the rusage preload. Every child is
 * tracked so that a timeout, an error or Ctrl-C kills it (by its pid, never by name).
 */
import { spawn, fork, type ChildProcess } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tempRoot } from "./temp.js";

let rusagePreload = fileURLToPath(new URL("./rusage.js", import.meta.url));

/** Loads the rusage preload from another copy of the build (see snapshotPackage). */
export function useRusagePreload(path: string): void {
  rusagePreload = path;
}

const live = new Set<ChildProcess>();

/** Kills every child still running (on exit, on a signal, after a failed section). */
export function killAll(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Resource usage of a measured child, from the preload. */
export interface Usage {
  maxRssMb: number;
  userMs: number;
  systemMs: number;
  /** process.uptime() at exit. */
  uptimeMs: number;
}

export interface ChildRun {
  /** Spawn to exit, measured by the parent. */
  wallMs: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  usage: Usage | undefined;
}

export interface RunOptions {
  cwd?: string;
  /** Added to a clean environment (no REFOLD_* or NODE_OPTIONS from the caller's). */
  env?: Record<string, string>;
  /** Flags before the script, e.g. `--expose-gc`, `--cpu-prof`. */
  nodeFlags?: string[];
  timeoutMs: number;
  /** Reject unless the exit code is 0 (default true). */
  check?: boolean;
}

let counter = 0;

/** The caller's environment without anything that could change what a measured program does. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("REFOLD_") || key === "NODE_OPTIONS" || key.startsWith("npm_") || key === "FORCE_COLOR")
      continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs `node [flags] --import rusage <script> [args]` and resolves once it has exited. */
export async function runNode(script: string, args: readonly string[], options: RunOptions): Promise<ChildRun> {
  const usageFile = join(await tempRoot(), `rusage-${process.pid}-${++counter}.json`);
  const argv = [...(options.nodeFlags ?? []), `--import=${pathToFileURL(rusagePreload).href}`, script, ...args];
  const env = cleanEnv({ ...options.env, BENCH_RUSAGE_FILE: usageFile });
  const started = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  const { code, signal, ended } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    ended: number;
  }>((resolve, reject) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null; ended: number } | undefined;
    child.once("error", reject);
    child.once("exit", (c, s) => (exit = { code: c, signal: s, ended: performance.now() }));
    child.once("close", (c, s) => resolve(exit ?? { code: c, signal: s, ended: performance.now() }));
  }).finally(() => {
    clearTimeout(timer);
    live.delete(child);
  });
  let usage: Usage | undefined;
  try {
    const raw = JSON.parse(await readFile(usageFile, "utf8")) as Omit<Usage, "maxRssMb"> & { maxRssKb: number };
    usage = { maxRssMb: raw.maxRssKb / 1024, userMs: raw.userMs, systemMs: raw.systemMs, uptimeMs: raw.uptimeMs };
  } catch {
    usage = undefined;
  }
  await rm(usageFile, { force: true });
  const run: ChildRun = { wallMs: ended - started, exitCode: code, signal, stdout, stderr, usage };
  if (timedOut) throw new Error(`${describe(script, args)} timed out after ${options.timeoutMs} ms${tail(run)}`);
  if ((options.check ?? true) && code !== 0)
    throw new Error(`${describe(script, args)} exited with ${code ?? signal}${tail(run)}`);
  return run;
}

/** The last JSON line a bench child printed on stdout (its result). */
export function resultOf<T>(run: ChildRun): T {
  const lines = run.stdout.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`child printed no JSON result:${tail(run)}`);
  }
}

/** A forked helper (a server) that talks over IPC; killed with the rest. */
export function forkHelper(script: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  const child = fork(script, [...args], { env: cleanEnv(env), stdio: ["ignore", "inherit", "inherit", "ipc"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** Sends a message and waits for the reply of the given type. */
export function ask<T>(child: ChildProcess, message: object, replyType: string, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`helper did not answer "${replyType}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: { type?: string; error?: string }) => {
      if (reply.type === "error") {
        cleanup();
        reject(new Error(`helper failed: ${reply.error}`));
      } else if (reply.type === replyType) {
        cleanup();
        resolve(reply as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`helper exited (${code}) before answering "${replyType}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

/** Stops a forked helper: asks politely, then kills. */
export async function stopHelper(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    child.send({ type: "close" });
  } catch {
    child.kill("SIGKILL");
  }
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

function describe(script: string, args: readonly string[]): string {
  const name = script.split(/[\\/]/).slice(-2).join("/");
  return `node ${name} ${args.join(" ")}`.trim();
}

function tail(run: ChildRun): string {
  const text = `${run.stderr}\n${run.stdout}`.trim();
  return text === "" ? "" : `\n--- output (last 1500 chars) ---\n${text.slice(-1500)}`;
}

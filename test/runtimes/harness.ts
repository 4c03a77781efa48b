// What the runtime tests share: the emulator set up for program.ts (its answers and one fault per step),
// the report every runtime must produce, the requests the emulator must have seen, user projects in
// temporary folders, and child processes that are always killed.
import { linkedProject } from "../helpers/project.js";
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { FaultRule, MockServer } from "../../generator/mock/index.js";
import type { ProgramReport } from "./program.js";
import { ABORT_AFTER_MS, STALL_TIMEOUT_MS, WRITE_PARAMS } from "./program.js";

export const ROOT = resolve(".");
export const RUNTIMES = resolve("test/runtimes");
export const BIN = join(RUNTIMES, "node_modules", ".bin");
export const API_KEY = "tk_runtimes_SECRET_0123456789";
export const ACCOUNT = "customer-42";
/** The user-agent's product; the client appends ` <runtime>/<version>` where it knows them. */
export const AGENT = "refold-codegen-runtime/0.1";

// The built emulator, as a user of `refold-codegen/mock` gets it (npm test builds dist/ first).
const mockModule = (await import(
  resolve("dist/generator/mock/index.js")
)) as typeof import("../../generator/mock/index.js");

/** The fixed answers of the steps that succeed, so every runtime's report is the same. */
export const ANSWERS = {
  read: { results: [{ id: "101", properties: { email: "jane@example.com", firstname: "Jane" } }], paging: {} },
  write: { id: "201", properties: { email: "jane@example.com" }, archived: false },
  search: { total: 1, results: [{ id: "101" }] },
};

/** One fault per step, each on its own action, set before the program starts. */
export const FAULTS: FaultRule[] = [
  { route: "execute", app: "hubspot", action: "create_note", nodeStatus: "Errored" },
  { route: "execute", app: "hubspot", action: "search_contacts", status: 429, retryAfter: 1, times: 1 },
  { route: "execute", app: "hubspot", action: "get_contact_by_id", stallBodyMs: 30_000 },
  { route: "execute", app: "hubspot", action: "update_contact", delayMs: 30_000 },
];

/** The emulator serving the committed lock's apps, answering and failing as the program's steps expect. */
export async function startEmulator(): Promise<MockServer> {
  const lock = JSON.parse(await readFile(join(ROOT, "refold.lock.json"), "utf8")) as {
    apps: Parameters<typeof mockModule.startMock>[0]["apps"];
  };
  return mockModule.startMock({
    apps: lock.apps,
    apiKey: API_KEY,
    accounts: [ACCOUNT],
    answers: {
      "hubspot.get_contact": { data: ANSWERS.read },
      "hubspot.create_contact": { data: ANSWERS.write },
      "hubspot.search_contacts": { data: ANSWERS.search },
    },
    faults: FAULTS,
  });
}

/** The whole report every runtime must produce (times are checked by `expectReport`). */
export function expectedReport(): ProgramReport {
  const elapsedMs = expect.any(Number) as number;
  const failure = (cls: string, action: string, extra: object, status: number | null, attempts: number) => ({
    ok: false as const,
    error: { class: cls, refoldError: true, name: cls, app: "hubspot", action, status, attempts, ...extra },
    elapsedMs,
  });
  return {
    read: { ok: true, data: ANSWERS.read, elapsedMs },
    write: { ok: true, data: ANSWERS.write, elapsedMs },
    actionFailure: failure("RefoldActionError", "create_note", { nodeStatus: "Errored" }, 200, 1),
    rateLimited: { ok: true, data: ANSWERS.search, elapsedMs },
    stalled: failure("RefoldTimeoutError", "get_contact_by_id", { timeoutMs: STALL_TIMEOUT_MS }, 200, 1),
    aborted: failure("RefoldAbortError", "update_contact", {}, null, 1),
  };
}

/** Asserts the whole report, and the times of the steps that are about time. */
export function expectReport(report: unknown): void {
  expect(report).toEqual(expectedReport());
  const { rateLimited, stalled, aborted } = report as ProgramReport;
  // Retry-After: 1 was waited for (timers may fire a few ms early in some runtimes).
  expect(rateLimited.elapsedMs).toBeGreaterThanOrEqual(950);
  expect(rateLimited.elapsedMs).toBeLessThan(10_000);
  // The stalled body was cut by the deadline, not by the 30 s stall.
  expect(stalled.elapsedMs).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 20);
  expect(stalled.elapsedMs).toBeLessThan(10_000);
  // The delayed call ended when its signal fired, not after the 30 s delay.
  expect(aborted.elapsedMs).toBeGreaterThanOrEqual(ABORT_AFTER_MS - 20);
  expect(aborted.elapsedMs).toBeLessThan(10_000);
}

/** Asserts what the emulator received from one run of the program, and how it was authenticated. */
export function expectRequests(
  server: MockServer,
  expected: {
    auth: "apiKey" | "sessionToken";
    /** The user-agent every request carried: the runtime's name, as the client detected it. */
    userAgent: string | RegExp;
    /** Node: the requests went over undici (undici's request API sends no fetch metadata headers). */
    undici?: boolean;
    /** Only the requests from this index on (the browser's server side minted a token first). */
    from?: number;
  },
): void {
  const { auth, userAgent, undici = false, from = 0 } = expected;
  const requests = server.requests.slice(from);
  const executes = requests.filter((r) => r.route?.kind === "execute");
  const count = (action: string) =>
    executes.filter((r) => r.route?.kind === "execute" && r.route.app === "hubspot" && r.route.action === action)
      .length;
  expect({
    get_contact: count("get_contact"),
    create_contact: count("create_contact"),
    create_note: count("create_note"),
    search_contacts: count("search_contacts"),
    get_contact_by_id: count("get_contact_by_id"),
    update_contact: count("update_contact"),
    all: executes.length,
  }).toEqual({
    get_contact: 1,
    create_contact: 1,
    create_note: 1,
    // the 429, then the retry after Retry-After
    search_contacts: 2,
    get_contact_by_id: 1,
    update_contact: 1,
    all: 7,
  });
  const write = executes.find((r) => r.route?.kind === "execute" && r.route.action === "create_contact");
  expect(write?.method).toBe("POST");
  expect(write?.body).toEqual(WRITE_PARAMS);
  expect(write?.headers["content-type"]).toMatch(/^application\/json/);
  const search = executes.filter((r) => r.route?.kind === "execute" && r.route.action === "search_contacts");
  expect(search.map((r) => r.status)).toEqual([429, 200]);
  expect(requests.length).toBe(executes.length);
  for (const request of requests) {
    if (typeof userAgent === "string") expect(request.headers["user-agent"]).toBe(userAgent);
    else expect(request.headers["user-agent"]).toMatch(userAgent);
    // fetch (Node's too) sends sec-fetch-mode; undici's request API does not.
    if (undici) expect(request.headers["sec-fetch-mode"]).toBeUndefined();
    if (auth === "apiKey") {
      expect(request.headers["x-api-key"]).toBe("[redacted]");
      expect(request.headers["linked_account_id"]).toBe(ACCOUNT);
      expect(request.headers["authorization"]).toBeUndefined();
    } else {
      expect(request.headers["authorization"]).toBe("[redacted]");
      expect(request.headers["x-api-key"]).toBeUndefined();
    }
  }
}

/**
 * A user's project in a temporary folder: the committed generated/ and the program with its entries, in the
 * repository's layout (so the program's imports stay as written). With `nodeModules`, a package.json that
 * depends on undici and a node_modules link to this repository's, as a Node user's project has; without, no
 * package at all beside the output's own package.json (Bun, Deno: undici must not be needed).
 */
export async function userProject(name: string, options: { nodeModules: boolean }): Promise<string> {
  const dir = options.nodeModules
    ? await linkedProject(`runtime-${name}`)
    : await mkdtemp(join(tmpdir(), `refold-runtime-${name}-`));
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await mkdir(join(dir, "test", "runtimes"), { recursive: true });
  await cp(join(RUNTIMES, "program.ts"), join(dir, "test", "runtimes", "program.ts"));
  await cp(join(RUNTIMES, "entries"), join(dir, "test", "runtimes", "entries"), { recursive: true });
  return dir;
}

/** Removes a temporary folder. */
export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

const children = new Set<ChildProcess>();

/** Kills every child process still running (afterAll, and after each run). */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill("SIGKILL");
  }
  children.clear();
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`), collecting its output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<Finished> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    stderr += `\n[killed after ${options.timeoutMs ?? 30_000} ms]`;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolvePromise, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** The report a command printed as its last line of output; fails with everything it printed otherwise. */
export function reportOf(finished: Finished, what: string): unknown {
  const last = finished.stdout.trim().split("\n").at(-1) ?? "";
  try {
    if (finished.code !== 0) throw new Error(`exit code ${finished.code ?? finished.signal}`);
    return JSON.parse(last) as unknown;
  } catch (error) {
    throw new Error(
      `${what} did not print a report (${String(error)})\n--- stdout\n${finished.stdout}\n--- stderr\n${finished.stderr}`,
      { cause: error },
    );
  }
}

/** Starts a long-running child process (a server); `killChildren` ends it. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; stdio: ("ignore" | "pipe")[] },
): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, stdio: options.stdio });
  children.add(child);
  child.on("close", () => children.delete(child));
  return child;
}

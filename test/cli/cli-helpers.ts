// Shared helpers of the black-box CLI tests: spawn the built binary, run emulators, snapshot project trees.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { PulledApp } from "../../generator/lock/types.js";
import { serializeLock } from "../../generator/lock/write.js";
import { startMock, type MockOptions, type MockServer } from "../../generator/mock/index.js";
import { lockFromCatalog, sampleCatalog, tempProject, type Catalog } from "../helpers/project.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = join(ROOT, "dist", "generator", "cli.js");

/** A distinctive key: any output or file that contains it has leaked it. */
export const KEY = "tk_SECRET_0123456789abcdef";
export const ACCOUNT = "acct-cli-1";

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests`);
const cliSources = [
  join(ROOT, "generator", "cli.ts"),
  ...readdirSync(join(ROOT, "generator", "cli")).map((name) => join(ROOT, "generator", "cli", name)),
];
if (cliSources.some((source) => statSync(CLI).mtimeMs < statSync(source).mtimeMs)) {
  console.warn(`warning: ${CLI} is older than the CLI's sources; run \`npm run build\` so the tests see your changes`);
}

export interface CliResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the run. */
  ms: number;
}

export interface RunOptions {
  cwd: string;
  /** Added to a copy of process.env from which every REFOLD_* variable was removed. */
  env?: Record<string, string | undefined>;
  /** The child is killed after this long (the run then fails). Default 30 s. */
  timeoutMs?: number;
  /** Node options placed before the CLI's path. */
  nodeArgs?: readonly string[];
  /** Runs the child as this user and group (needs root). */
  user?: { uid: number; gid: number };
}

/** process.env without REFOLD_* variables, plus `extra` (an undefined value removes a variable). */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("REFOLD_")) env[name] = value;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs `node dist/generator/cli.js ...args` and collects its output. Asynchronous on purpose: the emulator
 * answering the CLI runs in this process. Throws when a credential of the environment (or KEY) shows up in
 * stdout or stderr, so every test of this folder also checks that the key is never printed.
 */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const env = cliEnv(options.env);
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...options.user,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: CliResult = { code, signal, stdout, stderr, ms: Date.now() - started };
      const secrets = [KEY, env["REFOLD_API_KEY"], env["REFOLD_SESSION_TOKEN"]].filter(
        (value): value is string => value !== undefined && value.length >= 8,
      );
      const leaked = secrets.find((secret) => stdout.includes(secret) || stderr.includes(secret));
      if (leaked !== undefined) {
        reject(new Error(`refold-codegen ${args.join(" ")} printed a credential:\n${stdout}\n${stderr}`));
      } else if (signal !== null) {
        reject(new Error(`refold-codegen ${args.join(" ")} was killed (${signal}) after ${result.ms} ms:\n${stderr}`));
      } else {
        resolvePromise(result);
      }
    });
  });
}

/**
 * Runs the CLI like runCli and also returns the URL of every module it resolved, recorded by a module
 * resolution hook (registered by a preloaded module), to tell which code a command line made the CLI load.
 */
export async function runCliTracingModules(
  args: readonly string[],
  options: RunOptions,
): Promise<CliResult & { modules: string[] }> {
  const log = join(await tempDir(), "modules.log");
  const hooks = [
    'import { appendFileSync } from "node:fs";',
    "let log;",
    "export function initialize(data) { log = data.log; }",
    "export async function resolve(specifier, context, next) {",
    "  const resolved = await next(specifier, context);",
    '  appendFileSync(log, resolved.url + "\\n");',
    "  return resolved;",
    "}",
  ].join("\n");
  const preload = [
    'import { register } from "node:module";',
    `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: { log: ${JSON.stringify(log)} } });`,
  ].join("\n");
  const nodeArgs = ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, ...(options.nodeArgs ?? [])];
  const result = await runCli(args, { ...options, nodeArgs });
  const modules = existsSync(log) ? (await readFile(log, "utf8")).split("\n").filter((url) => url !== "") : [];
  return { ...result, modules: [...new Set(modules)] };
}

/** Both streams, for messages that may go to either. */
export const output = (result: CliResult): string => `${result.stdout}\n${result.stderr}`;

let catalogPromise: Promise<Catalog> | undefined;

/** A fresh deep copy of the sample catalog (test/fixtures/sample-catalog.json). */
export async function catalog(): Promise<Catalog> {
  catalogPromise ??= sampleCatalog();
  return structuredClone(await catalogPromise);
}

/** Only some apps of a catalog. */
export function pick(source: Catalog, ...slugs: string[]): Catalog {
  const apps: Record<string, PulledApp> = {};
  for (const slug of slugs) {
    const app = source.apps[slug];
    if (app === undefined) throw new Error(`no app ${slug} in the catalog`);
    apps[slug] = app;
  }
  return { apps };
}

const servers = new Set<MockServer>();
const folders = new Set<string>();

/** Starts an emulator on a free loopback port serving `apps` (default: the sample catalog), requiring KEY. */
export async function emulator(options: Partial<MockOptions> = {}): Promise<MockServer> {
  const server = await startMock({ apps: (await catalog()).apps, apiKey: KEY, port: 0, ...options });
  servers.add(server);
  return server;
}

/** Stops one emulator now. */
export async function stop(server: MockServer): Promise<void> {
  servers.delete(server);
  await server.close();
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The apps most tests configure: one whole app, one filtered (exercises include). */
export const DEFAULT_APPS = ["hubspot", { slug: "jira", include: ["add_comment", "create_issue", "get_issue"] }];

/** A config for `baseUrl`, with the client-side rate limit lifted so pulls are quick. */
export function configFor(baseUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { baseUrl, linkedAccountId: ACCOUNT, apps: DEFAULT_APPS, rateLimit: false, ...overrides };
}

/** A temporary project (package.json, refold.codegen.json, node_modules link), removed by `cleanup`. */
export async function project(config: Record<string, unknown>): Promise<string> {
  const dir = await tempProject(config);
  folders.add(dir);
  return dir;
}

/** An empty temporary folder, removed by `cleanup`. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "refold-cli-"));
  folders.add(dir);
  return dir;
}

/** Overwrites a project's refold.codegen.json. */
export async function writeConfig(dir: string, config: Record<string, unknown>): Promise<void> {
  await writeFile(join(dir, "refold.codegen.json"), JSON.stringify(config, null, 2));
}

/** Writes the lock a pull of `source` would produce, without the network (for tests that start from a lock). */
export async function writeLockFrom(dir: string, source: Catalog, file = "refold.lock.json"): Promise<string> {
  const path = join(dir, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, serializeLock(lockFromCatalog(source)));
  return path;
}

/** Closes every emulator and removes every folder the helpers made. */
export async function cleanup(): Promise<void> {
  await Promise.all([...servers].map((server) => server.close()));
  servers.clear();
  await Promise.all([...folders].map((dir) => rm(dir, { recursive: true, force: true })));
  folders.clear();
}

/**
 * Every file (its exact content, as base64) and folder below `dir`, by relative path, except the top-level
 * node_modules link: compare two snapshots to prove that a command changed nothing.
 */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const full = join(folder, name);
      const path = relative(dir, full).split(sep).join("/");
      if (path === "node_modules") continue;
      const stats = await lstat(full);
      if (stats.isDirectory()) {
        tree[`${path}/`] = "<dir>";
        await walk(full);
      } else if (stats.isSymbolicLink()) {
        tree[path] = "<symlink>";
      } else {
        tree[path] = (await readFile(full)).toString("base64");
      }
    }
  };
  await walk(dir);
  return tree;
}

/** Every file's modification time below `dir` (node_modules excluded). */
export async function mtimes(dir: string): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const path of Object.keys(await snapshotTree(dir))) {
    if (!path.endsWith("/")) times[path] = (await lstat(join(dir, path))).mtimeMs;
  }
  return times;
}

/** Every file's text below `dir`, concatenated: to search generated output for a string. */
export async function allText(dir: string): Promise<string> {
  const tree = await snapshotTree(dir);
  return Object.entries(tree)
    .filter(([, content]) => content !== "<dir>" && content !== "<symlink>")
    .map(([path, content]) => `--- ${path}\n${Buffer.from(content, "base64").toString("utf8")}`)
    .join("\n");
}

/** Parses stdout as exactly one JSON document. */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not one JSON document (${(error as Error).message}):\n${result.stdout}`, {
      cause: error,
    });
  }
}

// Issue 19: one generated output runs on every runtime. The same program (program.ts: a read, a write, a
// failed action, a 429 retried after Retry-After, a stalled body cut by timeoutMs, an abort) runs against
// the emulator on 127.0.0.1 under Node (in-process from the sources, and compiled by tsc as users compile
// the output), Bun, Deno, workerd and Vercel's edge-runtime, each run the way its users run it. The browser
// is in browser.test.ts. A runtime that is missing fails its test: nothing is skipped.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../generator/mock/index.js";
import { compile } from "../helpers/tsc.js";
import { bundle } from "./bundle.js";
import {
  ACCOUNT,
  AGENT,
  API_KEY,
  BIN,
  expectReport,
  expectRequests,
  killChildren,
  removeDir,
  reportOf,
  ROOT,
  runCommand,
  startEmulator,
  startProcess,
  userProject,
} from "./harness.js";
import { run, type ProgramOptions } from "./program.js";
import { edgeRuntime, versionOf } from "./tools.js";

let server: MockServer | undefined;
const dirs: string[] = [];

/** A fresh emulator per runtime, so its request log is that runtime's alone. */
async function emulator(): Promise<{ server: MockServer; options: ProgramOptions }> {
  server = await startEmulator();
  return { server, options: { baseUrl: server.url, apiKey: API_KEY, linkedAccountId: ACCOUNT } };
}

async function tempDir(dir: Promise<string>): Promise<string> {
  const path = await dir;
  dirs.push(path);
  return path;
}

afterEach(async () => {
  killChildren();
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  killChildren();
  for (const dir of dirs) await removeDir(dir);
});

/** `<bin> --version`'s output, for the test names' record in the log. */
async function versionLine(bin: string): Promise<string> {
  const { stdout } = await runCommand(join(BIN, bin), ["--version"], { cwd: ROOT, timeoutMs: 10_000 });
  return stdout.trim().split("\n")[0] ?? "";
}

describe("Node", () => {
  it("the TypeScript sources, in-process (as vitest runs them)", async () => {
    const { server, options } = await emulator();
    expectReport(await run(options));
    expectRequests(server, { auth: "apiKey", userAgent: `${AGENT} node/${process.version}`, undici: true });
  });

  it("compiled with tsc (NodeNext, strict) into an outDir and run with plain node", async () => {
    const dir = await tempDir(userProject("node", { nodeModules: true }));
    await compile(
      dir,
      ["generated/**/*.ts", "test/runtimes/program.ts", "test/runtimes/entries/node.ts"],
      "NodeNext",
      "dist",
    );
    const { server, options } = await emulator();
    const finished = await runCommand(
      process.execPath,
      ["dist/test/runtimes/entries/node.js", JSON.stringify(options)],
      {
        cwd: dir,
      },
    );
    expectReport(reportOf(finished, `node ${process.version}`));
    expectRequests(server, { auth: "apiKey", userAgent: `${AGENT} node/${process.version}`, undici: true });
  });
});

describe("Bun", () => {
  beforeAll(async () => console.log(`bun ${await versionLine("bun")}`));

  it("bun run on the TypeScript sources, in a project without node_modules (and no auto-install)", async () => {
    const dir = await tempDir(userProject("bun", { nodeModules: false }));
    const { server, options } = await emulator();
    // --no-install: without a node_modules folder Bun would fetch a missing package (undici) from npm.
    const finished = await runCommand(
      join(BIN, "bun"),
      ["--no-install", "run", "test/runtimes/entries/bun.ts", JSON.stringify(options)],
      { cwd: dir, env: { ...process.env, BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", NO_COLOR: "1" } },
    );
    expectReport(reportOf(finished, "bun"));
    expectRequests(server, { auth: "apiKey", userAgent: `${AGENT} bun/${versionOf(ROOT, "bun")}` });
  });
});

describe("Deno", () => {
  let dir: string;
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: join(dir, ".deno"),
  });

  beforeAll(async () => {
    console.log(await versionLine("deno"));
    dir = await tempDir(userProject("deno", { nodeModules: false }));
  });

  // --sloppy-imports: the output's imports name ./x.js for x.ts (as NodeNext requires); Deno resolves them only
  // with it (or "unstable": ["sloppy-imports"] in deno.json). Without: Module not found ".../generated/index.js".

  it("deno check --sloppy-imports: the output and the program typecheck under Deno's TypeScript", async () => {
    const finished = await runCommand(
      join(BIN, "deno"),
      ["check", "--sloppy-imports", "test/runtimes/entries/deno.ts"],
      {
        cwd: dir,
        env: env(),
      },
    );
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
  });

  it("deno run --allow-net=127.0.0.1 --sloppy-imports on the TypeScript sources, no package.json", async () => {
    const { server, options } = await emulator();
    const finished = await runCommand(
      join(BIN, "deno"),
      [
        "run",
        "--allow-net=127.0.0.1",
        "--sloppy-imports",
        "--no-prompt",
        "test/runtimes/entries/deno.ts",
        JSON.stringify(options),
      ],
      { cwd: dir, env: env() },
    );
    expectReport(reportOf(finished, "deno"));
    expectRequests(server, { auth: "apiKey", userAgent: `${AGENT} deno/${versionOf(ROOT, "deno")}` });
  });
});

/** workerd's compatibility date: the newest the installed binary supports (its version is 1.YYYYMMDD.N). */
function compatibilityDate(): string {
  const match = /^1\.(\d{4})(\d{2})(\d{2})\./.exec(versionOf(ROOT, "workerd"));
  if (!match) throw new Error(`unexpected workerd version ${versionOf(ROOT, "workerd")}`);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** A workerd config: the worker on 127.0.0.1 (any port), allowed to reach loopback addresses. */
function workerdConfig(date: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .program),
    # The default "internet" service refuses private and local addresses; the emulator is on loopback.
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const program :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date}",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
);
`;
}

describe("Cloudflare workerd", () => {
  beforeAll(async () => console.log(`workerd ${await versionLine("workerd")}`));

  it("bundled by esbuild as wrangler does (workerd, worker, browser), run by the workerd binary", async () => {
    const dir = await tempDir(mkdtemp(join(tmpdir(), "refold-runtime-workerd-")));
    const worker = await bundle(ROOT, "test/runtimes/entries/worker.ts", "workerd");
    expect(worker.externals).toEqual([]);
    await writeFile(join(dir, "worker.js"), worker.text);
    await writeFile(join(dir, "config.capnp"), workerdConfig(compatibilityDate()));
    const { server, options } = await emulator();
    // --control-fd: workerd reports the port it listens on ({"event":"listen","socket":"http","port":N}).
    const child = startProcess(join(BIN, "workerd"), ["serve", "config.capnp", "--control-fd=3"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let control = "";
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within 15 s:\n${output}`)), 15_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        reject(new Error(`workerd exited (${code}):\n${output}`));
      });
      (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => {
        control += chunk.toString();
        for (const line of control.split("\n")) {
          const event = /^\{.*\}$/.test(line)
            ? (JSON.parse(line) as { event?: string; socket?: string; port?: number })
            : {};
          if (event.event === "listen" && event.socket === "http" && typeof event.port === "number") {
            clearTimeout(timer);
            resolve(event.port);
          }
        }
      });
    });
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: JSON.stringify(options) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the worker answered ${response.status}: ${text}\n${output}`);
    expectReport(JSON.parse(text));
    expectRequests(server, { auth: "apiKey", userAgent: AGENT });
  });
});

describe("Vercel edge-runtime", () => {
  beforeAll(() => console.log(`edge-runtime ${versionOf(ROOT, "edge-runtime")}`));

  it("EdgeRuntime evaluates the esbuild bundle (condition edge-light) and runs the program", async () => {
    const script = await bundle(ROOT, "test/runtimes/entries/edge.ts", "edge");
    expect(script.externals).toEqual([]);
    const { server, options } = await emulator();
    const { EdgeRuntime } = edgeRuntime(ROOT);
    const runtime = new EdgeRuntime({ initialCode: script.text });
    // The report crosses from the edge context as JSON text, as a response body would.
    const text = await runtime.evaluate<Promise<string>>(
      `globalThis.refoldProgram.run(${JSON.stringify(options)}).then((report) => JSON.stringify(report))`,
    );
    expectReport(JSON.parse(text));
    expectRequests(server, { auth: "apiKey", userAgent: AGENT });
  });
});

/*
 * The runtimes figures of issue 19: per call, RefoldClient.run over the fetch transport against the same
 * request made with the runtime's raw `fetch`, in Bun and in Deno (bench/child/fetch-runtime.ts, bundled by
 * esbuild), against the loopback echo server in its own Node process; and the browser bundle's size. The
 * runtimes come from test/runtimes (`npm run toolchains`).
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { esbuild } from "../../test/runtimes/tools.js";
import { browserSizeFigures } from "../browser-size.js";
import { childScript, REPO_ROOT, type Bench } from "../lib/context.js";
import { ask, cleanEnv, forkHelper, stopHelper } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median } from "../lib/stats.js";
import { tempRoot } from "../lib/temp.js";

interface Round {
  client: "raw" | "refold";
  wallPerCallUs: number;
}

const BIN = join(REPO_ROOT, "test", "runtimes", "node_modules", ".bin");
const RUNTIMES = {
  bun: (script: string) => [join(BIN, "bun"), script],
  deno: (script: string) => [join(BIN, "deno"), "run", "--allow-net=127.0.0.1", script],
} as const;

export async function runtimesSection(bench: Bench): Promise<void> {
  const quick = bench.settings.quick;
  const script = await bundleChild();
  const server = forkHelper(childScript("echo-server"), []);
  try {
    const { port } = await ask<{ port: number }>(server, {}, "ready");
    const settings = {
      origin: `http://127.0.0.1:${port}`,
      concurrency: 32,
      warmupCalls: quick ? 500 : 2_000,
      calls: quick ? 1_000 : 10_000,
      // Bun's and Deno's rounds vary more than Node's (client and server share two cores): more of them.
      rounds: quick ? 3 : 11,
    };
    for (const [name, command] of Object.entries(RUNTIMES)) {
      const rounds = await runRuntime([...command(script), JSON.stringify(settings)]);
      const of = (client: Round["client"]) =>
        median(rounds.filter((round) => round.client === client).map((round) => round.wallPerCallUs));
      bench.figures.push(
        judge({
          id: `runtimes.${name}`,
          section: "runtimes",
          label: `${name}: RefoldClient.run wall per call over fetch, concurrency ${settings.concurrency} (median of ${settings.rounds} x ${settings.calls})`,
          value: of("refold"),
          unit: "us",
          baseline: { label: `${name}'s raw fetch`, value: of("raw"), unit: "us" },
          ratio: of("refold") / of("raw"),
          target: { on: "ratio", op: "<=", bound: 1.15, text: "<= 1.15x raw fetch" },
        }),
      );
      bench.details[`runtimes.${name}`] = { settings, rounds };
    }
  } finally {
    await stopHelper(server);
  }
  bench.figures.push(...(await browserSizeFigures()));
}

/** The child as one ES module with the runtime inside, which Bun and Deno run as it is. */
async function bundleChild(): Promise<string> {
  const result = await esbuild(REPO_ROOT).build({
    entryPoints: [join(REPO_ROOT, "bench", "child", "fetch-runtime.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
  });
  const dir = join(await tempRoot(), "runtimes");
  await mkdir(dir, { recursive: true });
  const file = join(dir, "fetch-runtime.mjs");
  await writeFile(file, result.outputFiles[0]?.text ?? "");
  return file;
}

/** Runs one runtime on the child and resolves to its rounds (it prints `{ rounds }` last). */
function runRuntime(argv: string[]): Promise<Round[]> {
  const [file = "", ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: cleanEnv({ NO_COLOR: "1" }), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${argv.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`));
      try {
        resolve((JSON.parse(last) as { rounds: Round[] }).rounds);
      } catch {
        reject(new Error(`${argv.join(" ")} printed no result: ${stdout.slice(-500)}${stderr.slice(-500)}`));
      }
    });
  });
}

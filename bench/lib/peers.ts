/*
 * The peers: the generators users would pick instead of refold-codegen, fed the corpus's own OpenAPI
 * export (`emit: { "openapi": true }`, generated once per bench run from the corpus lock):
 * openapi-typescript 7 (types only) and @hey-api/openapi-ts (an SDK with its fetch client). They live in
 * bench/peers, a folder with its own package.json and package-lock.json that `npm run bench` installs
 * (`npm ci --prefix bench/peers`); they are no dependency of the package. Each run is a fresh Node process,
 * timed and measured like our CLI (bench/lib/proc.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { copyFile, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { executePath } from "../../generator/util/api-paths.js";
import { fieldList } from "../corpus.js";
import { REPO_ROOT, cli, isolatedEnv, makeProject, removeDir, type Bench, type PeerName } from "./context.js";

export type { PeerName } from "./context.js";
import { runNode, type ChildRun } from "./proc.js";
import { tempDir, tempRoot } from "./temp.js";

export const PEERS_DIR = join(REPO_ROOT, "bench", "peers");
const PEER_MODULES = join(PEERS_DIR, "node_modules");

/** The folder inside a peer's project that receives its output. */
export const PEER_OUTPUT = "peer";

/** The operation the peers' usage files reference: the same action as our usage and completion files. */
export interface PeerOperation {
  path: string;
  operationId: string;
}

export interface Peer {
  name: PeerName;
  /** The npm package (in bench/peers). */
  package: string;
  /** What it generates, for labels. */
  kind: string;
  /** The script run with `node` (inside bench/peers/node_modules). */
  script: string;
  /** Command-line arguments: OpenAPI document in, output folder out. */
  args(input: string, outDir: string): string[];
  /** Files (relative to the output folder) a successful run must have written, non-empty. */
  expect: string[];
  /** A usage file (at the project's root) that references `operation` through the peer's output. */
  usage(outDir: string, operation: PeerOperation): Promise<string>;
}

export const PEERS: readonly Peer[] = [
  {
    name: "openapi-typescript",
    package: "openapi-typescript",
    kind: "types only",
    script: join(PEER_MODULES, "openapi-typescript", "bin", "cli.js"),
    // Written as a .ts file (same text as its usual .d.ts) so that `skipLibCheck`, which every project of
    // the bench sets for its dependencies' declarations, does not skip checking it.
    args: (input, outDir) => [input, "--output", join(outDir, "schema.ts")],
    expect: ["schema.ts"],
    usage: async (_outDir, operation) => {
      const op = JSON.stringify(operation.operationId);
      return `import type { operations } from "./${PEER_OUTPUT}/schema.js";\n\nexport type Params = NonNullable<operations[${op}]["requestBody"]>["content"]["application/json"];\n\nexport type Result = operations[${op}]["responses"][200]["content"]["application/json"];\n`;
    },
  },
  {
    name: "hey-api",
    package: "@hey-api/openapi-ts",
    kind: "SDK, fetch client",
    // The package's bin (bin/run.js) only spawns a second Node process on dist/run.mjs; running that directly
    // spares the peer one Node start-up and lets the rusage preload see the process that does the work.
    script: join(PEER_MODULES, "@hey-api", "openapi-ts", "dist", "run.mjs"),
    args: (input, outDir) => [
      "--input",
      input,
      "--output",
      outDir,
      "--client",
      "@hey-api/client-fetch",
      "--no-log-file",
      "--silent",
    ],
    expect: ["index.ts", "sdk.gen.ts", "types.gen.ts", "client.gen.ts", "client/index.ts"],
    usage: async (outDir, operation) => {
      // The SDK function is the `export const` that precedes the operation's literal URL.
      const sdk = await readFile(join(outDir, "sdk.gen.ts"), "utf8");
      const at = sdk.indexOf(`url: '${operation.path}'`);
      const names = at < 0 ? [] : [...sdk.slice(0, at).matchAll(/export const (\w+) =/g)];
      const fn = names[names.length - 1]?.[1];
      if (fn === undefined) throw new Error(`hey-api: no SDK function for ${operation.path} in sdk.gen.ts`);
      return `import { ${fn} } from "./${PEER_OUTPUT}/sdk.gen.js";\n\ntype Options = Parameters<typeof ${fn}>[0];\n\nexport function call(options: Options): Promise<unknown> {\n  return ${fn}(options);\n}\n`;
    },
  },
];

/** Installed versions of the peers (and of the TypeScript they print with), for results.json. */
export function peerVersions(): Record<string, string> {
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(PEER_MODULES, pkg, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      return "not installed";
    }
  };
  return Object.fromEntries(["openapi-typescript", "@hey-api/openapi-ts", "typescript"].map((p) => [p, version(p)]));
}

/** Why the peers cannot run, or undefined when they are installed. */
export function peersMissing(): string | undefined {
  const missing = PEERS.filter((peer) => !existsSync(peer.script));
  if (missing.length === 0) return undefined;
  return `the peers are not installed (${missing.map((peer) => peer.package).join(", ")}): run \`npm run bench:build\` (it runs \`npm ci --prefix bench/peers\`)`;
}

export function peerLabel(peer: Peer): string {
  return `${peer.package} ${peerVersions()[peer.package]} (${peer.kind})`;
}

export interface OpenApiExport {
  /** The corpus's OpenAPI document. */
  file: string;
  /** The document of the corpus's first app alone: the peers' untimed warm-up input. */
  warmupFile: string;
  operations: number;
  bytes: number;
}

let exported: Promise<OpenApiExport> | undefined;

/** Our generator's `openapi.json` for the corpus lock (and for its first app), made once per bench run. */
export function openApiExport(bench: Bench): Promise<OpenApiExport> {
  exported ??= (async () => {
    const root = await tempRoot();
    const make = async (slugs: readonly string[], target: string): Promise<Record<string, unknown>> => {
      const dir = await makeProject(bench, "openapi", { slugs, config: { emit: { openapi: true } } });
      await runNode(cli(), ["generate", "--offline", "--quiet"], {
        cwd: dir,
        env: await isolatedEnv(),
        timeoutMs: 300_000,
      });
      const source = join(dir, "generated", "openapi.json");
      if (!existsSync(source)) throw new Error(`generate with emit.openapi wrote no ${source}`);
      await copyFile(source, target);
      await removeDir(dir);
      return JSON.parse(await readFile(target, "utf8")) as Record<string, unknown>;
    };
    const file = join(root, "openapi.json");
    const document = await make(bench.slugs, file);
    const operations = Object.keys(document["paths"] ?? {}).length;
    if (operations !== bench.stats.actions)
      throw new Error(`openapi.json has ${operations} operations for ${bench.stats.actions} actions`);
    const warmupFile = join(root, "openapi-warmup.json");
    await make(bench.slugs.slice(0, 1), warmupFile);
    return { file, warmupFile, operations, bytes: (await stat(file)).size };
  })();
  return exported;
}

/** The action every usage file references: the middle app's action with the most top-level fields. */
export function usageAction(bench: Bench): { slug: string; actionId: string; fields: string[] } {
  const slug = bench.slugs[Math.floor(bench.slugs.length / 2)]!;
  const app = bench.corpus.apps[slug]!;
  let best = app.actions[0]!.action_id;
  for (const entry of app.actions) {
    if (fieldList(app.parameters[entry.action_id]).length > fieldList(app.parameters[best]).length)
      best = entry.action_id;
  }
  return { slug, actionId: best, fields: fieldList(app.parameters[best]).map((field) => field.name) };
}

async function peerOperation(bench: Bench): Promise<PeerOperation> {
  const { file } = await openApiExport(bench);
  const { slug, actionId } = usageAction(bench);
  const path = executePath(slug, actionId);
  const document = JSON.parse(await readFile(file, "utf8")) as {
    paths: Record<string, { post?: { operationId?: string } }>;
  };
  const operationId = document.paths[path]?.post?.operationId;
  if (operationId === undefined) throw new Error(`openapi.json has no operation at ${path}`);
  return { path, operationId };
}

/** One run of a peer in a new folder (its output in `<dir>/peer`), checked for the files it must write. */
export async function runPeer(peer: Peer, input: string, prefix: string): Promise<{ run: ChildRun; dir: string }> {
  const dir = await tempDir(`${prefix}-${peer.name}`);
  const out = join(dir, PEER_OUTPUT);
  const run = await runNode(peer.script, peer.args(input, out), { cwd: dir, timeoutMs: 900_000 });
  for (const file of peer.expect) {
    const path = join(out, file);
    if (!existsSync(path) || (await stat(path)).size === 0)
      throw new Error(`${peer.package} exited 0 but wrote no ${file}${run.stderr === "" ? "" : `\n${run.stderr}`}`);
  }
  return { run, dir };
}

/** A peer's output for the corpus: the cold section's last run, or one run made here. */
export async function peerOutput(bench: Bench, peer: Peer): Promise<string> {
  bench.shared.peers ??= {};
  let dir = bench.shared.peers[peer.name];
  if (dir === undefined) {
    dir = (await runPeer(peer, (await openApiExport(bench)).file, "peer-output")).dir;
    bench.shared.peers[peer.name] = dir;
  }
  return dir;
}

/**
 * Makes a peer's folder a TypeScript project: package.json, the repository's node_modules (@types/node), the
 * given tsconfig and a usage file that references the usage action through the peer's API.
 */
export async function peerTypeProject(
  bench: Bench,
  peer: Peer,
  compilerOptions: Record<string, unknown>,
): Promise<string> {
  const dir = await peerOutput(bench, peer);
  if (!existsSync(join(dir, "node_modules")))
    await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  const tsconfig = { compilerOptions, include: [`${PEER_OUTPUT}/**/*.ts`, "usage.ts"] };
  await writeFile(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  await writeFile(join(dir, "usage.ts"), await peer.usage(join(dir, PEER_OUTPUT), await peerOperation(bench)));
  return dir;
}

/** Bytes of every file in a folder. */
export async function folderBytes(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

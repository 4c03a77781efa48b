/*
 * Cold generation: `refold-codegen generate --offline` of the corpus in a fresh project (only config and
 * lock; no output, no cache), against the peers (openapi-typescript and @hey-api/openapi-ts over the
 * corpus's OpenAPI export) and the naive pipeline in the same run; then the same command again over the
 * output it just wrote (a no-op, which must write nothing); plus the emitter-choice evidence (template
 * strings vs one ts-morph SourceFile). Runs are interleaved so that drift hits all.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { cli, childScript, isolatedEnv, makeProject, removeDir, type Bench } from "../lib/context.js";
import { PEERS, openApiExport, peerLabel, runPeer, type PeerName } from "../lib/peers.js";
import { resultOf, runNode, type ChildRun } from "../lib/proc.js";
import { judge, type Figure } from "../lib/report.js";
import { max, median } from "../lib/stats.js";
import { tempDir } from "../lib/temp.js";

export const GENERATE_ARGS = ["generate", "--offline", "--quiet"];

/** The targets against each peer: our cold generate this many times faster, with less peak RSS. */
const PEER_SPEEDUP: Record<PeerName, number> = { "openapi-typescript": 4, "hey-api": 8 };

/**
 * One cold `generate --offline` in a new project; returns the run, the project folder and the environment
 * (its own empty cache folder), which a second run in the same project reuses as a user's would.
 */
export async function coldGenerate(
  bench: Bench,
  prefix: string,
  nodeFlags: string[] = [],
): Promise<{ run: ChildRun; dir: string; env: Record<string, string> }> {
  const dir = await makeProject(bench, prefix, { slugs: bench.slugs });
  const env = await isolatedEnv();
  const run = await runNode(cli(), GENERATE_ARGS, { cwd: dir, env, nodeFlags, timeoutMs: 300_000 });
  const index = join(dir, "generated", "index.ts");
  if (!existsSync(index)) throw new Error(`generate wrote no ${index}`);
  return { run, dir, env };
}

/** Every entry of a folder (recursive): kind, inode, size, mtime in ns and, for files, a content hash. */
async function folderState(dir: string): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const relative = full.slice(dir.length + 1);
    if (entry.isFile()) {
      const info = await stat(full, { bigint: true });
      const hash = createHash("sha256")
        .update(await readFile(full))
        .digest("hex");
      state.set(relative, `file ino ${info.ino} size ${info.size} mtime ${info.mtimeNs} sha256 ${hash}`);
    } else state.set(relative, entry.isDirectory() ? "dir" : "other");
  }
  return state;
}

/** What changed between two states of a folder, in words (empty: nothing). */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (now === undefined) found.push(`removed ${path}`);
    else if (now !== was) found.push(`rewrote ${path} (${was} -> ${now})`);
  }
  for (const path of after.keys()) if (!before.has(path)) found.push(`created ${path}`);
  return found;
}

/**
 * `generate --offline` again in a project whose output the previous run wrote, nothing changed: it must
 * write nothing (every file of the project folder keeps its inode, mtime and bytes; no file appears or
 * goes). Works whether the generator stops early or renders everything in memory and compares.
 */
export async function noopGenerate(
  dir: string,
  env: Record<string, string>,
): Promise<{ run: ChildRun; files: number }> {
  const before = await folderState(dir);
  const run = await runNode(cli(), GENERATE_ARGS, { cwd: dir, env, timeoutMs: 300_000 });
  const found = changes(before, await folderState(dir));
  if (found.length > 0)
    throw new Error(`no-op generate --offline wrote in the project folder: ${found.slice(0, 5).join("; ")}`);
  return { run, files: [...before.values()].filter((kind) => kind.startsWith("file")).length };
}

interface NaiveResult {
  importMs: number;
  compileMs: number;
  totalMs: number;
  actions: number;
  bytes: number;
}

interface MorphResult {
  actions: number;
  templateMs: number;
  templateBytes: number;
  importMs: number;
  tsmorphMs: number;
  tsmorphBytes: number;
}

export async function runNaive(bench: Bench): Promise<{ run: ChildRun; result: NaiveResult }> {
  const out = await tempDir("naive-out");
  try {
    const run = await runNode(childScript("naive"), [bench.corpusFile, out], { timeoutMs: 600_000 });
    return { run, result: resultOf<NaiveResult>(run) };
  } finally {
    await removeDir(out);
  }
}

export async function coldSection(bench: Bench): Promise<void> {
  const runs = bench.settings.runs;
  const openapi = await openApiExport(bench); // not timed: the peers' input
  // Untimed warm-ups, so that every measured run finds its node_modules in the OS file cache (the peers on
  // the first app's document alone: the corpus takes the slower one over a minute).
  const warm = await coldGenerate(bench, "cold-warmup");
  await removeDir(warm.dir);
  for (const peer of PEERS) await removeDir((await runPeer(peer, openapi.warmupFile, "peer-warmup")).dir);

  const generate: ChildRun[] = [];
  const noop: ChildRun[] = [];
  let noopFiles = 0;
  const naive: { run: ChildRun; result: NaiveResult }[] = [];
  const morph: { run: ChildRun; result: MorphResult }[] = [];
  const peerRuns = new Map<PeerName, ChildRun[]>(PEERS.map((peer) => [peer.name, []]));
  bench.shared.peers ??= {};
  let lastDir: string | undefined;
  for (let r = 0; r < runs; r++) {
    const cold = await coldGenerate(bench, "cold");
    generate.push(cold.run);
    const again = await noopGenerate(cold.dir, cold.env);
    noop.push(again.run);
    noopFiles = again.files;
    if (lastDir !== undefined) await removeDir(lastDir);
    lastDir = cold.dir;
    naive.push(await runNaive(bench));
    const morphRun = await runNode(childScript("tsmorph"), [bench.corpusFile], { timeoutMs: 300_000 });
    morph.push({ run: morphRun, result: resultOf<MorphResult>(morphRun) });
    for (const peer of PEERS) {
      const { run, dir } = await runPeer(peer, openapi.file, "cold");
      peerRuns.get(peer.name)!.push(run);
      const previous = bench.shared.peers[peer.name];
      if (previous !== undefined) await removeDir(previous);
      bench.shared.peers[peer.name] = dir; // the last run's output: the typescript and output sections use it
    }
  }
  if (lastDir !== undefined) bench.shared.generatedProject = lastDir;

  const genWall = median(generate.map((run) => run.wallMs));
  const genRss = max(generate.map((run) => run.usage?.maxRssMb ?? NaN));
  const noopWall = median(noop.map((run) => run.wallMs));
  const naiveWall = median(naive.map((n) => n.run.wallMs));
  const naiveRss = max(naive.map((n) => n.run.usage?.maxRssMb ?? NaN));
  bench.shared.naive = { wallMs: naiveWall, bytes: naive[0]!.result.bytes, actions: naive[0]!.result.actions };
  const files = await outputFiles(join(lastDir!, "generated"));

  const section = "cold generate";
  const peerFigures: Figure[] = [];
  for (const peer of PEERS) {
    const list = peerRuns.get(peer.name)!;
    const wall = median(list.map((run) => run.wallMs));
    const rss = max(list.map((run) => run.usage?.maxRssMb ?? NaN));
    const speedup = PEER_SPEEDUP[peer.name];
    peerFigures.push(
      judge({
        id: `cold.vs-${peer.name}`,
        section,
        label: `generate --offline vs ${peer.package} over openapi.json (wall, median of ${runs})`,
        value: genWall,
        unit: "ms",
        baseline: { label: peerLabel(peer), value: wall, unit: "ms" },
        ratio: wall / genWall,
        target: { on: "ratio", op: ">=", bound: speedup, text: `>= ${speedup}x faster` },
      }),
      judge({
        id: `cold.rss-vs-${peer.name}`,
        section,
        label: `generate --offline peak RSS vs ${peer.package} (max of ${runs})`,
        value: genRss,
        unit: "MB",
        baseline: { label: peer.package, value: rss, unit: "MB" },
        ratio: genRss / rss,
        target: { on: "ratio", op: "<", bound: 1, text: "less peak memory" },
      }),
    );
  }
  bench.figures.push(
    judge({
      id: "cold.wall",
      section,
      label: `generate --offline, ${bench.stats.actions} actions (wall, median of ${runs})`,
      value: genWall,
      unit: "ms",
      baseline: { label: "naive json-schema-to-typescript + prettier", value: naiveWall, unit: "ms" },
      ratio: naiveWall / genWall,
      target: { on: "ratio", op: ">=", bound: 8, text: ">= 8x faster" },
    }),
    judge({
      id: "cold.rss",
      section,
      label: `generate --offline peak RSS (max of ${runs})`,
      value: genRss,
      unit: "MB",
      baseline: { label: "naive pipeline", value: naiveRss, unit: "MB" },
      ratio: genRss / naiveRss,
      target: { on: "value", op: "<=", bound: 200, text: "<= 200 MB" },
    }),
    ...peerFigures,
    judge({
      id: "cold.noop",
      section,
      label: `generate --offline again, nothing changed: no-op, wrote nothing (${noopFiles} files checked; median of ${runs})`,
      value: noopWall,
      unit: "ms",
      baseline: { label: "cold generate", value: genWall, unit: "ms" },
      ratio: noopWall / genWall,
      target: { on: "ratio", op: "<=", bound: 1, text: "<= 1.0x cold (no more than a cold run)" },
    }),
    {
      id: "cold.naive-compile",
      section,
      label: "naive: json-schema-to-typescript compile() per action",
      value: median(naive.map((n) => n.result.compileMs / n.result.actions)),
      unit: "ms",
      note: "per action, prettier included (compile formats by default)",
    },
    {
      id: "cold.tsmorph",
      section,
      label: "ts-morph: 1 SourceFile, all interfaces + functions (build + print)",
      value: median(morph.map((m) => m.result.tsmorphMs)),
      unit: "ms",
      baseline: {
        label: "template strings, same text",
        value: median(morph.map((m) => m.result.templateMs)),
        unit: "ms",
      },
      ratio: median(morph.map((m) => m.result.tsmorphMs)) / median(morph.map((m) => m.result.templateMs)),
    },
    {
      id: "cold.tsmorph-import",
      section,
      label: "ts-morph: import cost",
      value: median(morph.map((m) => m.result.importMs)),
      unit: "ms",
      note: "paid once per process by an emitter built on ts-morph",
    },
  );
  bench.details["cold"] = {
    generate: generate.map(summary),
    noop: noop.map(summary),
    noopFilesChecked: noopFiles,
    naive: naive.map((n) => ({ ...summary(n.run), ...n.result })),
    tsmorph: morph.map((m) => ({ ...summary(m.run), ...m.result })),
    peers: Object.fromEntries(PEERS.map((peer) => [peer.name, peerRuns.get(peer.name)!.map(summary)])),
    openapi: { operations: openapi.operations, bytes: openapi.bytes },
    output: files,
  };
}

export function summary(run: ChildRun): Record<string, number | undefined> {
  return {
    wallMs: run.wallMs,
    maxRssMb: run.usage?.maxRssMb,
    userMs: run.usage?.userMs,
    systemMs: run.usage?.systemMs,
  };
}

/** File count and bytes of an output folder, app modules apart from index and runtime. */
export async function outputFiles(dir: string): Promise<{
  files: number;
  bytes: number;
  appModules: number;
  appModuleBytes: number;
  runtimeBytes: number;
  indexBytes: number;
}> {
  const result = { files: 0, bytes: 0, appModules: 0, appModuleBytes: 0, runtimeBytes: 0, indexBytes: 0 };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const size = (await stat(full)).size;
    result.files++;
    result.bytes += size;
    const relative = full.slice(dir.length + 1).split(/[\\/]/);
    if (relative[0] === "runtime") result.runtimeBytes += size;
    else if (relative.join("/") === "index.ts") result.indexBytes += size;
    else if (entry.name.endsWith(".ts")) {
      result.appModules++;
      result.appModuleBytes += size;
    }
  }
  return result;
}

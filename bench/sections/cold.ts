/*
 * Cold generation: `refold-codegen generate --offline` of the corpus in a fresh project (only config and
 * lock; no output, no cache), against the naive pipeline in the same run, plus the emitter-choice
 * evidence (template strings vs one ts-morph SourceFile). Runs are interleaved so that drift hits all.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { cli, childScript, isolatedEnv, makeProject, removeDir, type Bench } from "../lib/context.js";
import { resultOf, runNode, type ChildRun } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { max, median } from "../lib/stats.js";
import { tempDir } from "../lib/temp.js";

export const GENERATE_ARGS = ["generate", "--offline", "--quiet"];

/** One cold `generate --offline` in a new project; returns the run and the project folder. */
export async function coldGenerate(
  bench: Bench,
  prefix: string,
  nodeFlags: string[] = [],
): Promise<{ run: ChildRun; dir: string }> {
  const dir = await makeProject(bench, prefix, { slugs: bench.slugs });
  const run = await runNode(cli(), GENERATE_ARGS, {
    cwd: dir,
    env: await isolatedEnv(),
    nodeFlags,
    timeoutMs: 300_000,
  });
  const index = join(dir, "generated", "index.ts");
  if (!existsSync(index)) throw new Error(`generate wrote no ${index}`);
  return { run, dir };
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
  // Untimed warm-up, so that every measured run finds node_modules in the OS file cache.
  const warm = await coldGenerate(bench, "cold-warmup");
  await removeDir(warm.dir);

  const generate: ChildRun[] = [];
  const naive: { run: ChildRun; result: NaiveResult }[] = [];
  const morph: { run: ChildRun; result: MorphResult }[] = [];
  let lastDir: string | undefined;
  for (let r = 0; r < runs; r++) {
    const cold = await coldGenerate(bench, "cold");
    generate.push(cold.run);
    if (lastDir !== undefined) await removeDir(lastDir);
    lastDir = cold.dir;
    naive.push(await runNaive(bench));
    const morphRun = await runNode(childScript("tsmorph"), [bench.corpusFile], { timeoutMs: 300_000 });
    morph.push({ run: morphRun, result: resultOf<MorphResult>(morphRun) });
  }
  if (lastDir !== undefined) bench.shared.generatedProject = lastDir;

  const genWall = median(generate.map((run) => run.wallMs));
  const genRss = max(generate.map((run) => run.usage?.maxRssMb ?? NaN));
  const naiveWall = median(naive.map((n) => n.run.wallMs));
  const naiveRss = max(naive.map((n) => n.run.usage?.maxRssMb ?? NaN));
  bench.shared.coldMs = genWall;
  bench.shared.naive = { wallMs: naiveWall, bytes: naive[0]!.result.bytes, actions: naive[0]!.result.actions };
  const files = await outputFiles(join(lastDir!, "generated"));

  const section = "cold generate";
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
    naive: naive.map((n) => ({ ...summary(n.run), ...n.result })),
    tsmorph: morph.map((m) => ({ ...summary(m.run), ...m.result })),
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

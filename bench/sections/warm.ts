/*
 * Warm generation: `generate --offline` again in a project that already has its output (and whatever
 * cache the generator keeps), first with nothing changed, then after one app's lock entry changed.
 * Compared with the cold figure of the same run.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lockApp } from "../../generator/lock/build.js";
import type { LockFile } from "../../generator/lock/types.js";
import { serializeLock } from "../../generator/lock/write.js";
import { cli, isolatedEnv, makeProject, removeDir, type Bench } from "../lib/context.js";
import { runNode, type ChildRun } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median } from "../lib/stats.js";
import { GENERATE_ARGS, coldGenerate, summary } from "./cold.js";

export async function warmSection(bench: Bench): Promise<void> {
  const runs = bench.settings.runs;
  let coldMs = bench.shared.coldMs;
  const coldRuns: ChildRun[] = [];
  if (coldMs === undefined) {
    // The cold reference was not measured in this run (--only warm): measure it here.
    for (let r = 0; r < runs + 1; r++) {
      const cold = await coldGenerate(bench, "warm-cold");
      if (r > 0) coldRuns.push(cold.run); // the first one only warms the OS file cache
      await removeDir(cold.dir);
    }
    coldMs = median(coldRuns.map((run) => run.wallMs));
  }

  const dir = await makeProject(bench, "warm", { slugs: bench.slugs });
  const env = await isolatedEnv(); // one cache folder for this project's runs, as on a developer's machine
  const generate = () => runNode(cli(), GENERATE_ARGS, { cwd: dir, env, timeoutMs: 300_000 });
  await generate(); // the project's first (cold) run

  const unchanged: ChildRun[] = [];
  for (let r = 0; r < runs; r++) {
    const before = await treeHash(join(dir, "generated"));
    unchanged.push(await generate());
    if ((await treeHash(join(dir, "generated"))) !== before)
      throw new Error("warm generate changed an up-to-date output");
  }

  const slug = bench.slugs[Math.floor(bench.slugs.length / 2)]!;
  const oneApp: ChildRun[] = [];
  for (let r = 0; r < runs; r++) {
    const marker = `(bench edit ${r + 1})`;
    await editLock(join(dir, "refold.lock.json"), slug, marker);
    oneApp.push(await generate());
    const module = await readFile(join(dir, "generated", `${slug}.ts`), "utf8");
    if (!module.includes(marker))
      throw new Error(`warm generate did not regenerate ${slug}.ts after its lock entry changed`);
  }
  await removeDir(dir);

  const section = "warm generate";
  const unchangedMs = median(unchanged.map((run) => run.wallMs));
  const oneAppMs = median(oneApp.map((run) => run.wallMs));
  const coldLabel = bench.shared.coldMs === undefined ? "cold generate (measured here)" : "cold generate";
  bench.figures.push(
    judge({
      id: "warm.unchanged",
      section,
      label: `generate, nothing changed (wall, median of ${runs})`,
      value: unchangedMs,
      unit: "ms",
      baseline: { label: coldLabel, value: coldMs, unit: "ms" },
      ratio: unchangedMs / coldMs,
      ratioStyle: "%",
      target: { on: "ratio", op: "<=", bound: 0.15, text: "<= 15% of cold" },
    }),
    judge({
      id: "warm.one-app",
      section,
      label: `generate, one app's lock entry changed (median of ${runs})`,
      value: oneAppMs,
      unit: "ms",
      baseline: { label: coldLabel, value: coldMs, unit: "ms" },
      ratio: oneAppMs / coldMs,
      ratioStyle: "%",
      target: { on: "ratio", op: "<=", bound: 0.15, text: "<= 15% of cold" },
    }),
  );
  bench.details["warm"] = {
    coldMs,
    coldRuns: coldRuns.map(summary),
    changedApp: slug,
    unchanged: unchanged.map(summary),
    oneApp: oneApp.map(summary),
  };
}

/** Changes one app's lock entry the way a connector update would (a description, a label), hash recomputed. */
async function editLock(path: string, slug: string, marker: string): Promise<void> {
  const lock = JSON.parse(await readFile(path, "utf8")) as LockFile;
  const app = lock.apps[slug];
  if (app === undefined) throw new Error(`lock has no app ${slug}`);
  const first = app.actions[0]!;
  first.description = `${String(first.description ?? "").replace(/ \(bench edit \d+\)$/, "")} ${marker}`;
  const payload = app.parameters[first.action_id];
  const list = Array.isArray(payload) ? payload : (payload as { parameters: unknown[] }).parameters;
  const field = list[0] as { label?: string };
  field.label = `${String(field.label ?? "").replace(/ \(bench edit \d+\)$/, "")} ${marker}`;
  lock.apps[slug] = lockApp({ actions: app.actions, parameters: app.parameters });
  await writeFile(path, serializeLock(lock));
}

async function treeHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of entries) hash.update(file).update(await readFile(file));
  return hash.digest("hex");
}

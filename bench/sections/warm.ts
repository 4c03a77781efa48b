/*
 * Warm generation: `generate --offline` again in a project that already has its output (and whatever
 * cache the generator keeps), first with nothing changed, then after one app's lock entry changed.
 * Compared with the cold figure of the same run.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { childScript, cli, isolatedEnv, makeProject, removeDir, type Bench } from "../lib/context.js";
import { editLock } from "../lib/edit-lock.js";
import { resultOf, runNode, type ChildRun } from "../lib/proc.js";
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

  // The first run after a write reads the lock and the output to prove them fresh, and records their
  // metadata in the cache; the runs after it compare metadata only (generator/cache/verified.ts).
  const unchangedRun = async () => {
    const before = await treeHash(join(dir, "generated"));
    const run = await generate();
    if ((await treeHash(join(dir, "generated"))) !== before)
      throw new Error("warm generate changed an up-to-date output");
    return run;
  };
  const firstUnchanged = await unchangedRun();
  const unchanged: ChildRun[] = [];
  for (let r = 0; r < runs; r++) unchanged.push(await unchangedRun());
  const startup: ChildRun[] = [];
  const startupWithoutCa: ChildRun[] = [];
  for (let r = 0; r < runs; r++) {
    startup.push(await runNode(childScript("empty"), [], { cwd: dir, env, timeoutMs: 60_000 }));
    // Node 20 reads NODE_EXTRA_CA_CERTS before running anything; empty, it reads nothing.
    const withoutCa = { ...env, NODE_EXTRA_CA_CERTS: "" };
    startupWithoutCa.push(await runNode(childScript("empty"), [], { cwd: dir, env: withoutCa, timeoutMs: 60_000 }));
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
  const inProcess = resultOf<{ regenMs: number[] }>(
    await runNode(childScript("regenerate"), [slug, String(runs)], { cwd: dir, env, timeoutMs: 300_000 }),
  );
  await removeDir(dir);

  const section = "warm generate";
  const inProcessMs = median(inProcess.regenMs);
  const unchangedMs = median(unchanged.map((run) => run.wallMs));
  const startupMs = median(startup.map((run) => run.wallMs));
  const startupWithoutCaMs = median(startupWithoutCa.map((run) => run.wallMs));
  const caNote =
    process.env["NODE_EXTRA_CA_CERTS"] === undefined
      ? "NODE_EXTRA_CA_CERTS is not set on this machine"
      : `NODE_EXTRA_CA_CERTS is set on this machine; with it empty, start-up takes ${Math.round(startupWithoutCaMs)} ms`;
  const oneAppMs = median(oneApp.map((run) => run.wallMs));
  const coldLabel = bench.shared.coldMs === undefined ? "cold generate (measured here)" : "cold generate";
  bench.figures.push(
    {
      id: "warm.unchanged-first",
      section,
      label: "generate, nothing changed, first run after a write (reads and hashes, then records)",
      value: firstUnchanged.wallMs,
      unit: "ms",
      baseline: { label: coldLabel, value: coldMs, unit: "ms" },
      ratio: firstUnchanged.wallMs / coldMs,
      ratioStyle: "%",
    },
    judge({
      id: "warm.unchanged",
      section,
      label: `generate, nothing changed (wall, median of ${runs} runs after that one)`,
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
  bench.figures.push({
    id: "warm.node-startup",
    section,
    label: `node on an empty module, spawned as the CLI is (median of ${runs})`,
    value: startupMs,
    unit: "ms",
    baseline: { label: coldLabel, value: coldMs, unit: "ms" },
    ratio: startupMs / coldMs,
    ratioStyle: "%",
    note: `the share of every CLI run no code of ours can remove; ${caNote}`,
  });
  bench.figures.push({
    id: "warm.one-app-in-process",
    section,
    label: `one app's lock entry changed, in a running process (--watch, API; median of ${runs})`,
    value: inProcessMs,
    unit: "ms",
    baseline: { label: coldLabel, value: coldMs, unit: "ms" },
    ratio: inProcessMs / coldMs,
    ratioStyle: "%",
    note: "no Node start-up or module loading; the CLI figure above is the one the target applies to",
  });
  bench.details["warm"] = {
    coldMs,
    coldRuns: coldRuns.map(summary),
    changedApp: slug,
    unchangedFirst: summary(firstUnchanged),
    unchanged: unchanged.map(summary),
    nodeStartup: startup.map(summary),
    nodeStartupWithoutExtraCaCerts: startupWithoutCa.map(summary),
    oneApp: oneApp.map(summary),
    oneAppInProcessMs: inProcess.regenMs,
  };
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

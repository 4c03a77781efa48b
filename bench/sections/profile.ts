/*
 * Where cold generation spends its time: one cold `generate --offline` under `node --cpu-prof`, self time
 * grouped by where the code lives (prettier, the generator's stages, module loading, GC, ...).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Bench, removeDir } from "../lib/context.js";
import { tempDir } from "../lib/temp.js";
import { coldGenerate, summary } from "./cold.js";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  categories: { category: string; ms: number; percent: number }[];
  /** Top functions by self time. */
  functions: { name: string; where: string; category: string; ms: number }[];
  /**
   * The generator's own functions by inclusive time (the function and everything it called synchronously;
   * work after an `await` is not attributed to the caller, so prettier's time shows under its own name).
   */
  generatorInclusive: { name: string; where: string; ms: number; percent: number }[];
}

/** The category of a profile node, from its script URL. */
export function categoryOf(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)") return "idle (waiting on I/O, timers)";
  if (name === "(program)") return "V8 (parse/compile/other)";
  if (name === "(root)") return "V8 (parse/compile/other)";
  const path = url.replace(/\\/g, "/");
  const dep = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (dep) {
    const pkg = dep[1]!;
    if (pkg === "prettier") return "prettier";
    if (pkg === "yargs" || pkg === "yargs-parser" || pkg === "cliui" || pkg === "y18n") return "yargs (CLI)";
    return `dependency: ${pkg}`;
  }
  const stage = /\/dist\/generator\/([^/]+)\//.exec(path);
  if (stage) return `generator: ${stage[1]}`;
  if (path.includes("/dist/generator/")) return "generator: top level";
  if (path.includes("/dist/templates/")) return "generator: runtime types";
  if (path.startsWith("node:internal/modules") || path.includes("internal/modules/")) return "node: module loading";
  if (path.startsWith("node:internal/fs") || path.startsWith("node:fs") || path.includes("internal/fs/"))
    return "node: fs (I/O)";
  if (path.startsWith("node:")) return "node: other internals";
  if (path === "") return "V8 builtins / native";
  return "other";
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const categories = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; category: string; ms: number }>();
  let total = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const category = categoryOf(url, functionName);
    const ms = micros / 1000;
    total += ms;
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const short = url
      .replace(/^.*\/node_modules\//, "")
      .replace(/^.*\/dist\//, "dist/")
      .replace(/^file:\/\//, "");
    const where = `${short}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const entry = functions.get(key) ?? { name: functionName || "(anonymous)", where, category, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  // Inclusive time of generator functions: every sample counts once for each distinct such function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, micros] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url.replace(/\\/g, "/").includes("/dist/generator/")) continue;
      const where = `${url.replace(/^.*\/dist\//, "dist/")}:${lineNumber + 1}`;
      const key = `${functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { name: functionName || "(anonymous)", where, ms: 0 };
      entry.ms += micros / 1000;
      inclusive.set(key, entry);
    }
  }
  return {
    totalMs: total,
    generatorInclusive: [...inclusive.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .map((entry) => ({ ...entry, percent: (entry.ms / total) * 100 })),
    categories: [...categories]
      .map(([category, ms]) => ({ category, ms, percent: (ms / total) * 100 }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, 15),
  };
}

export async function profileSection(bench: Bench): Promise<ProfileSummary> {
  const profileDir = await tempDir("cpu-prof");
  const { run, dir } = await coldGenerate(bench, "profile", ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
  await removeDir(dir);
  const [file] = (await readdir(profileDir)).filter((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error("node --cpu-prof wrote no profile");
  const profile = JSON.parse(await readFile(join(profileDir, file), "utf8")) as CpuProfile;
  await removeDir(profileDir);
  const result = summarizeProfile(profile);
  bench.details["profile"] = { run: summary(run), ...result };
  return result;
}

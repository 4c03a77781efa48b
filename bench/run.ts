/*
 * `npm run bench`: the performance suite of issues 7, 3 and 13. Prints a table and writes bench/results.json,
 * every figure next to a baseline measured in the same run (the peers openapi-typescript and
 * @hey-api/openapi-ts among them) and every target marked met or not met.
 *
 *   node dist/bench/run.js [--only cold,tsc,...] [--quick] [--seed N] [--runs N] [--full-pull]
 *                          [--out file] [--strict]
 *
 * Sections: cold, pull, runtime, runtimes, fleet, tsc, completions, bytes, profile. See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { cpus, arch, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { corpusStats, generateCorpus } from "./corpus.js";
import { REPO_ROOT, snapshotPackage, type Bench } from "./lib/context.js";
import { killAll } from "./lib/proc.js";
import { peersMissing, peerVersions } from "./lib/peers.js";
import { fmtNumber, formatTable, stableJson, type Figure } from "./lib/report.js";
import { machineBusy, waitForQuiet } from "./lib/quiet.js";
import { removeTempRoot, tempRoot } from "./lib/temp.js";
import { bytesSection } from "./sections/bytes.js";
import { coldSection } from "./sections/cold.js";
import { fleetSection } from "./sections/fleet.js";
import { profileSection, type ProfileSummary } from "./sections/profile.js";
import { pullSection } from "./sections/pull.js";
import { runtimeSection } from "./sections/runtime.js";
import { runtimesSection } from "./sections/runtimes.js";
import { completionsSection, tscSection } from "./sections/typescript.js";

/** Background CPU share under which the machine counts as quiet. */
const QUIET = 0.15;

const SECTIONS: Record<string, (bench: Bench) => Promise<unknown>> = {
  cold: coldSection,
  pull: pullSection,
  runtime: runtimeSection,
  runtimes: runtimesSection,
  fleet: fleetSection,
  tsc: tscSection,
  completions: completionsSection,
  bytes: bytesSection,
  profile: profileSection,
};

/** The sections that run the peers (bench/lib/peers.ts). */
const PEER_SECTIONS = new Set(["cold", "tsc", "bytes"]);

const USAGE = `usage: node dist/bench/run.js [options]
  --only <names>   run only these sections (comma-separated, repeatable): ${Object.keys(SECTIONS).join(", ")}
  --quick          small corpus (8 apps x 25 actions), one run per figure, fewer runtime calls
  --seed <n>       corpus seed (default 1)
  --runs <n>       repetitions of each repeated figure (default 3, quick 1); the median is reported
  --full-pull      rate-limited pull of the whole corpus (about 77 s) instead of 3 apps
  --out <file>     results file (default bench/results.json for a full run, bench/results-partial.json otherwise)
  --strict         exit 1 when a target is not met
  --max-wait <s>   before each section, wait (at most 30 s each, <s> in all; default 120) for other processes
                   to use less than 15% of the machine; 0 never waits (the load is recorded either way)`;

interface Args {
  only: string[];
  quick: boolean;
  seed: number;
  runs: number | undefined;
  fullPull: boolean;
  out: string | undefined;
  strict: boolean;
  maxWaitS: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    only: [],
    quick: false,
    seed: 1,
    runs: undefined,
    fullPull: false,
    out: undefined,
    strict: false,
    maxWaitS: 120,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const take = () => inline ?? value();
    switch (name) {
      case "--only":
        args.only.push(
          ...take()
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
        );
        break;
      case "--quick":
        args.quick = true;
        break;
      case "--seed":
        args.seed = Number(take());
        break;
      case "--runs":
        args.runs = Number(take());
        break;
      case "--full-pull":
        args.fullPull = true;
        break;
      case "--out":
        args.out = take();
        break;
      case "--strict":
        args.strict = true;
        break;
      case "--max-wait":
        args.maxWaitS = Number(take());
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  for (const name of args.only) if (!(name in SECTIONS)) throw new Error(`unknown section "${name}"\n${USAGE}`);
  if (!(args.maxWaitS >= 0)) throw new Error("--max-wait must be a number of seconds >= 0");
  if (!Number.isInteger(args.seed)) throw new Error("--seed must be an integer");
  if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 1))
    throw new Error("--runs must be >= 1");
  return args;
}

function versionOf(pkg: string): string {
  try {
    return (
      JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
}

function machine() {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown",
    cpuCount: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    typescript: versionOf("typescript"),
    prettier: versionOf("prettier"),
    undici: versionOf("undici"),
    peers: peerVersions(),
  };
}

/** The commit measured, and how many files differed from it (the bench measures the working tree's build). */
function source(): { commit: string; changedFiles: number } {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    const changed = git("status", "--porcelain")
      .split("\n")
      .filter((line) => line !== "" && !line.includes("bench/"));
    return { commit: git("rev-parse", "HEAD"), changedFiles: changed.length };
  } catch {
    return { commit: "unknown", changedFiles: -1 };
  }
}

function cleanupAndExit(code: number): never {
  killAll();
  removeTempRoot();
  process.exit(code);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const partial = args.only.length > 0 || args.quick || args.seed !== 1;
  const outFile = args.out ?? join(REPO_ROOT, "bench", partial ? "results-partial.json" : "results.json");
  const selected =
    args.only.length > 0 ? Object.keys(SECTIONS).filter((name) => args.only.includes(name)) : Object.keys(SECTIONS);
  const missing = peersMissing();
  if (missing !== undefined && selected.some((name) => PEER_SECTIONS.has(name))) throw new Error(missing);

  const corpus = generateCorpus(args.quick ? { seed: args.seed, apps: 8, actionsPerApp: 25 } : { seed: args.seed });
  const stats = corpusStats(corpus);
  const corpusFile = join(await tempRoot(), "corpus.json");
  const corpusText = `${JSON.stringify(corpus)}\n`;
  await writeFile(corpusFile, corpusText);
  const bench: Bench = {
    settings: { quick: args.quick, seed: args.seed, runs: args.runs ?? (args.quick ? 1 : 3), fullPull: args.fullPull },
    corpus,
    stats,
    corpusFile,
    slugs: Object.keys(corpus.apps),
    figures: [],
    details: {},
    shared: {},
  };
  await snapshotPackage();
  const info = machine();
  console.log(`refold-codegen bench — ${info.cpuCount} x ${info.cpuModel}, ${info.memoryGb} GB, node ${info.node}`);
  console.log(
    `corpus: seed ${args.seed}, ${stats.apps} apps, ${stats.actions} actions, ${stats.fields} fields (${stats.minFields}-${stats.maxFields} per action) + ${stats.nestedFields} nested; sections: ${selected.join(", ")}\n`,
  );

  const errors: Record<string, string> = {};
  const timings: Record<string, number> = {};
  let profile: ProfileSummary | undefined;
  const started = performance.now();
  const background: Record<string, { busyPercent: number; waitedSeconds: number }> = {};
  let waitBudgetMs = args.maxWaitS * 1000;
  for (const name of selected) {
    const quiet =
      waitBudgetMs > 0
        ? await waitForQuiet(QUIET, Math.min(30_000, waitBudgetMs))
        : { busy: await machineBusy(500), waitedMs: 0 };
    waitBudgetMs -= quiet.waitedMs;
    background[name] = { busyPercent: quiet.busy * 100, waitedSeconds: quiet.waitedMs / 1000 };
    const t0 = performance.now();
    const noisy = quiet.busy > QUIET ? ` [other processes use ${Math.round(quiet.busy * 100)}% of the CPU: noisy]` : "";
    process.stdout.write(`• ${name}${noisy} ... `);
    const before = bench.figures.length;
    try {
      const result = await SECTIONS[name]!(bench);
      if (name === "profile") profile = result as ProfileSummary;
      timings[name] = performance.now() - t0;
      console.log(`${fmtNumber(timings[name] / 1000)} s`);
      for (const figure of bench.figures.slice(before)) console.log(`    ${line(figure)}`);
    } catch (error) {
      killAll();
      timings[name] = performance.now() - t0;
      errors[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.log(`FAILED\n${errors[name]}`);
    }
  }
  const totalMs = performance.now() - started;

  console.log(`\n${formatTable(bench.figures)}\n`);
  if (profile !== undefined) {
    console.log(
      `Where cold generate spends its CPU time (node --cpu-prof, self time, ${fmtNumber(profile.totalMs)} ms sampled):`,
    );
    for (const c of profile.categories.slice(0, 12))
      console.log(`  ${c.category.padEnd(34)} ${fmtNumber(c.ms).padStart(8)} ms  ${c.percent.toFixed(1).padStart(5)}%`);
    console.log("  top functions:");
    for (const f of profile.functions.slice(0, 10))
      console.log(`    ${fmtNumber(f.ms).padStart(7)} ms  ${f.name}  (${f.where}) [${f.category}]`);
    console.log("  generator functions by inclusive time (synchronous work only):");
    for (const f of profile.generatorInclusive.slice(0, 8))
      console.log(
        `    ${fmtNumber(f.ms).padStart(7)} ms  ${f.percent.toFixed(1).padStart(5)}%  ${f.name}  (${f.where})`,
      );
    console.log("");
  }
  const busy = Object.entries(background).filter(([, b]) => b.busyPercent > QUIET * 100);
  if (busy.length > 0)
    console.log(
      `WARNING: other processes were using the CPU when these sections started (figures may be off): ${busy.map(([name, b]) => `${name} ${Math.round(b.busyPercent)}%`).join(", ")}\n`,
    );
  const judged = bench.figures.filter((figure) => figure.met !== undefined);
  const missed = judged.filter((figure) => figure.met === false);
  console.log(
    `targets: ${judged.length - missed.length} met, ${missed.length} not met${Object.keys(errors).length > 0 ? `; sections failed: ${Object.keys(errors).join(", ")}` : ""}`,
  );
  for (const figure of missed) console.log(`  NOT MET  ${figure.label}: ${figure.margin}`);

  const results = {
    machine: info,
    source: source(),
    date: new Date().toISOString(),
    settings: {
      ...bench.settings,
      sections: selected,
      corpusSha256: createHash("sha256").update(corpusText).digest("hex"),
    },
    corpus: stats,
    figures: bench.figures,
    targets: { met: judged.length - missed.length, notMet: missed.length, missed: missed.map((figure) => figure.id) },
    details: bench.details,
    background,
    sectionSeconds: Object.fromEntries(Object.entries(timings).map(([name, ms]) => [name, ms / 1000])),
    totalSeconds: totalMs / 1000,
    errors,
  };
  await writeFile(outFile, stableJson(results));
  console.log(`\nwrote ${outFile} (${fmtNumber(totalMs / 1000)} s)`);
  if (Object.keys(errors).length > 0) return 1;
  return args.strict && missed.length > 0 ? 1 : 0;
}

function line(figure: Figure): string {
  const table = formatTable([figure]).split("\n")[2] ?? "";
  return table.replace(/^\| /, "").replace(/ \|$/, "").replace(/\s+\|/g, " |");
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => cleanupAndExit(130));
process.on("uncaughtException", (error) => {
  console.error(error);
  cleanupAndExit(1);
});

main().then(
  (code) => cleanupAndExit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    cleanupAndExit(2);
  },
);

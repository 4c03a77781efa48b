/*
 * The generated corpus client in the editor and in CI: `tsc --noEmit` time, and language-service
 * completion latency at `refold.<app>.` and inside a parameter object literal. The baselines are the
 * performance issue's simple client (one module, createRefold's return type inferred from object
 * literals) for the same corpus, and for tsc the peers' output for the corpus's OpenAPI export, all
 * measured the same way, with the same compiler options, in the same run.
 */
import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, childScript, type Bench } from "../lib/context.js";
import { inferredClient } from "../lib/inferred-client.js";
import { PEERS, peerLabel, peerTypeProject, usageAction, type PeerName } from "../lib/peers.js";
import { resultOf, runNode, type ChildRun } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median, percentile } from "../lib/stats.js";
import { tempDir } from "../lib/temp.js";
import { camelCase } from "../lib/shape.js";
import { coldGenerate } from "./cold.js";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/**
 * One set of options for every project the bench compiles (ours, the inferred-literal client, the peers'
 * outputs) and for the language service: strict, Bundler resolution. `exactOptionalPropertyTypes` is left
 * out (hey-api's fetch client does not compile under it; the tests check ours does) and `DOM` is in `lib`
 * (hey-api's client needs `BodyInit`); `skipLibCheck` skips the dependencies' declarations only: every
 * generated file, openapi-typescript's included, is a `.ts` file and is checked.
 */
export const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023", "DOM"],
  module: "ESNext",
  moduleResolution: "Bundler",
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  noEmit: true,
  types: ["node"],
};

interface TypeProjects {
  /** The generated corpus client (`generated/`), with usage.ts and completions.ts. */
  generated: string;
  /** The inferred-literal baseline (`baseline/client.ts`), same files. */
  baseline: string;
  app: string;
  method: string;
  methods: string[];
  fields: string[];
}

let prepared: Promise<TypeProjects> | undefined;

/** A project with the generated corpus client, made by the cold section or by one generate run here. */
export async function generatedProject(bench: Bench): Promise<string> {
  if (bench.shared.generatedProject === undefined) {
    bench.shared.generatedProject = (await coldGenerate(bench, "generated")).dir;
  }
  return bench.shared.generatedProject;
}

function prepareTypeProjects(bench: Bench): Promise<TypeProjects> {
  prepared ??= (async () => {
    const generated = await generatedProject(bench);
    const baseline = await tempDir("baseline");
    // The app in the middle, and its action with the most top-level fields.
    const { slug, actionId, fields } = usageAction(bench);
    const appProperty = camelCase(slug);
    const method = camelCase(actionId);
    const methods = bench.corpus.apps[slug]!.actions.map((entry) => camelCase(entry.action_id));

    await mkdir(join(baseline, "baseline"), { recursive: true });
    await writeFile(join(baseline, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
    await writeFile(join(baseline, "baseline", "client.ts"), inferredClient(bench.corpus));
    for (const [dir, module, include] of [
      [generated, "./generated/index.js", "generated/**/*.ts"],
      [baseline, "./baseline/client.js", "baseline/**/*.ts"],
    ] as const) {
      if (!existsSync(join(dir, "node_modules")))
        await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      const tsconfig = { compilerOptions: COMPILER_OPTIONS, include: [include, "usage.ts"] };
      await writeFile(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
      const head = `import { createRefold } from "${module}";\n\nconst refold = createRefold({ apiKey: "tk_bench", linkedAccountId: "bench-account" });\n`;
      await writeFile(
        join(dir, "usage.ts"),
        `${head}\ntype Params = Parameters<typeof refold.${appProperty}.${method}>[0];\n\nexport function call(params: Params): Promise<unknown> {\n  return refold.${appProperty}.${method}(params);\n}\n`,
      );
      await writeFile(
        join(dir, "completions.ts"),
        `${head}\nexport function appMembers(): void {\n  refold.${appProperty}.\n}\n\nexport function paramMembers(): Promise<unknown> {\n  return refold.${appProperty}.${method}({  });\n}\n`,
      );
    }
    if (!existsSync(join(generated, "generated", `${slug}.ts`))) throw new Error(`no generated module for ${slug}`);
    return { generated, baseline, app: appProperty, method, methods, fields };
  })();
  return prepared;
}

// ---------------------------------------------------------------------------------------------------
// tsc --noEmit

interface TscRun {
  wallMs: number;
  maxRssMb: number | undefined;
  exitCode: number | null;
  checkSeconds: number | undefined;
  totalSeconds: number | undefined;
  memoryKb: number | undefined;
  types: number | undefined;
  files: number | undefined;
  errors: string[];
}

async function tsc(dir: string, project = "tsconfig.json"): Promise<TscRun> {
  const run: ChildRun = await runNode(TSC, ["-p", project, "--extendedDiagnostics"], {
    cwd: dir,
    timeoutMs: 300_000,
    check: false,
  });
  const stat = (name: string) => {
    const match = new RegExp(`^${name}:\\s+([\\d.]+)`, "m").exec(run.stdout);
    return match ? Number(match[1]) : undefined;
  };
  return {
    wallMs: run.wallMs,
    maxRssMb: run.usage?.maxRssMb,
    exitCode: run.exitCode,
    checkSeconds: stat("Check time"),
    totalSeconds: stat("Total time"),
    memoryKb: stat("Memory used"),
    types: stat("Types"),
    files: stat("Files"),
    errors: run.stdout
      .split("\n")
      .filter((line) => /error TS\d+/.test(line))
      .slice(0, 10),
  };
}

export async function tscSection(bench: Bench): Promise<void> {
  const projects = await prepareTypeProjects(bench);
  const runtimeConfig = { compilerOptions: COMPILER_OPTIONS, include: ["generated/runtime/**/*.ts"] };
  await writeFile(join(projects.generated, "tsconfig.runtime.json"), `${JSON.stringify(runtimeConfig, null, 2)}\n`);
  const peerProjects = new Map<PeerName, string>();
  for (const peer of PEERS) peerProjects.set(peer.name, await peerTypeProject(bench, peer, COMPILER_OPTIONS));
  const generated: TscRun[] = [];
  const baseline: TscRun[] = [];
  const runtime: TscRun[] = [];
  const peers = new Map<PeerName, TscRun[]>(PEERS.map((peer) => [peer.name, []]));
  await tsc(projects.generated); // warm the OS file cache
  for (let r = 0; r < bench.settings.runs; r++) {
    generated.push(await tsc(projects.generated));
    baseline.push(await tsc(projects.baseline));
    runtime.push(await tsc(projects.generated, "tsconfig.runtime.json"));
    for (const peer of PEERS) {
      const run = await tsc(peerProjects.get(peer.name)!);
      // A peer whose output does not compile is a failed measurement, not a fast figure.
      if (run.exitCode !== 0)
        throw new Error(
          `${peer.package}'s output does not compile (tsc exit ${run.exitCode}):\n${run.errors.join("\n")}`,
        );
      peers.get(peer.name)!.push(run);
    }
  }
  const errors = generated.flatMap((run) => run.errors);
  const section = "typescript";
  const value = median(generated.map((run) => run.wallMs));
  const base = median(baseline.map((run) => run.wallMs));
  const note =
    errors.length > 0
      ? `tsc reported errors: ${errors[0]}`
      : `check ${median(generated.map((run) => run.checkSeconds ?? NaN))} s, ${median(generated.map((run) => run.types ?? NaN))} types`;
  const peerMs = (name: PeerName) => median(peers.get(name)!.map((run) => run.wallMs));
  const peerNote = (name: PeerName) =>
    `${peerLabel(PEERS.find((peer) => peer.name === name)!)}: check ${median(peers.get(name)!.map((run) => run.checkSeconds ?? NaN))} s, ${median(peers.get(name)!.map((run) => run.types ?? NaN))} types`;
  const label = `tsc --noEmit over the generated corpus client (TS 5.9, median of ${generated.length})`;
  bench.figures.push(
    {
      id: "tsc.corpus",
      section,
      label,
      value,
      unit: "ms",
      baseline: { label: "inferred-literal single-module client", value: base, unit: "ms" },
      ratio: value / base,
      note,
    },
    judge({
      id: "tsc.vs-openapi-typescript",
      section,
      label: "tsc --noEmit, our corpus client vs openapi-typescript's types for openapi.json",
      value,
      unit: "ms",
      baseline: { label: "openapi-typescript types only", value: peerMs("openapi-typescript"), unit: "ms" },
      ratio: value / peerMs("openapi-typescript"),
      target: { on: "ratio", op: "<=", bound: 1.25, text: "<= 1.25x openapi-typescript" },
      note: peerNote("openapi-typescript"),
    }),
    {
      id: "tsc.vs-hey-api",
      section,
      label: "tsc --noEmit, our corpus client vs hey-api's SDK for openapi.json",
      value,
      unit: "ms",
      baseline: { label: "hey-api SDK + fetch client", value: peerMs("hey-api"), unit: "ms" },
      ratio: value / peerMs("hey-api"),
      note: peerNote("hey-api"),
    },
    {
      id: "tsc.runtime-only",
      section,
      label: "tsc --noEmit over the runtime alone (fixed cost: @types/node, undici)",
      value: median(runtime.map((run) => run.wallMs)),
      unit: "ms",
    },
  );
  if (errors.length > 0) {
    bench.figures.push(
      judge({
        id: "tsc.errors",
        section,
        label: "tsc errors in the generated corpus client",
        value: generated[0]!.errors.length,
        unit: "count",
        target: { on: "value", op: "<=", bound: 0, text: "0 (output compiles under strict)" },
      }),
    );
  }
  bench.details["tsc"] = {
    compilerOptions: COMPILER_OPTIONS,
    generated,
    baseline,
    runtimeOnly: runtime,
    baselineErrors: baseline.flatMap((run) => run.errors),
    peers: Object.fromEntries(peers),
  };
}

// ---------------------------------------------------------------------------------------------------
// Language-service completions

interface CompletionResult {
  openMs: number;
  firstEntries: number;
  heapUsedMb: number;
  rootFiles: number;
  diagnostics: string[];
  sites: { name: string; samples: number[]; entries: number; missing: string[] }[];
}

async function completions(bench: Bench, dir: string, projects: TypeProjects): Promise<CompletionResult> {
  const requests = bench.settings.quick ? 5 : 15;
  const settings = {
    projectDir: dir,
    file: "completions.ts",
    requests,
    sites: [
      { name: "app", after: `{\n  refold.${projects.app}.`, expect: projects.methods, triggerCharacter: "." },
      { name: "params", after: `${projects.method}({ `, expect: projects.fields },
    ],
  };
  const run = await runNode(childScript("completions"), [JSON.stringify(settings)], { timeoutMs: 600_000 });
  const result = resultOf<CompletionResult>(run);
  for (const site of result.sites) {
    if (site.missing.length > 0)
      throw new Error(
        `completions at "${site.name}" in ${dir} miss ${site.missing.slice(0, 5).join(", ")} (${site.entries} entries)`,
      );
  }
  return result;
}

export async function completionsSection(bench: Bench): Promise<void> {
  const projects = await prepareTypeProjects(bench);
  const generated = await completions(bench, projects.generated, projects);
  const baseline = await completions(bench, projects.baseline, projects);
  const section = "typescript";
  const site = (result: CompletionResult, name: string) => result.sites.find((s) => s.name === name)!;
  for (const [name, label] of [
    ["app", `completion at refold.${projects.app}. (median, file edited before each)`],
    ["params", `completion inside ${projects.method}({ }) (${projects.fields.length} fields)`],
  ] as const) {
    const value = median(site(generated, name).samples);
    const base = median(site(baseline, name).samples);
    bench.figures.push(
      judge({
        id: `completions.${name}`,
        section,
        label,
        value,
        unit: "ms",
        baseline: { label: "inferred-literal single-module client", value: base, unit: "ms" },
        ratio: value / base,
        target: { on: "value", op: "<=", bound: 100, text: "median <= 100 ms" },
        note: `p90 ${percentile(site(generated, name).samples, 90).toFixed(0)} ms, ${site(generated, name).samples.length} requests, ${site(generated, name).entries} entries`,
      }),
    );
  }
  bench.figures.push(
    judge({
      id: "completions.open",
      section,
      label: "language service: open project + first completion",
      value: generated.openMs,
      unit: "ms",
      baseline: { label: "inferred-literal single-module client", value: baseline.openMs, unit: "ms" },
      ratio: generated.openMs / baseline.openMs,
      target: { on: "ratio", op: "<=", bound: 1, text: "<= 1.0x inferred-literal" },
    }),
  );
  bench.details["completions"] = { app: projects.app, method: projects.method, generated, baseline };
}

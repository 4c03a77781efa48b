/*
 * The generated corpus client in the editor and in CI: `tsc --noEmit` time, and language-service
 * completion latency at `refold.<app>.` and inside a parameter object literal. The baseline is the
 * performance issue's simple client (one module, createRefold's return type inferred from object
 * literals) for the same corpus, measured the same way in the same run.
 */
import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fieldList } from "../corpus.js";
import { REPO_ROOT, childScript, type Bench } from "../lib/context.js";
import { inferredClient } from "../lib/inferred-client.js";
import { resultOf, runNode, type ChildRun } from "../lib/proc.js";
import { judge } from "../lib/report.js";
import { median, percentile } from "../lib/stats.js";
import { tempDir } from "../lib/temp.js";
import { camelCase } from "../lib/shape.js";
import { coldGenerate } from "./cold.js";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** The strict settings the generated code promises to compile under. */
const COMPILER_OPTIONS = {
  target: "ES2022",
  lib: ["ES2023"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
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
    const slug = bench.slugs[Math.floor(bench.slugs.length / 2)]!;
    const app = bench.corpus.apps[slug]!;
    let best = app.actions[0]!.action_id;
    for (const entry of app.actions) {
      if (fieldList(app.parameters[entry.action_id]).length > fieldList(app.parameters[best]).length)
        best = entry.action_id;
    }
    const appProperty = camelCase(slug);
    const method = camelCase(best);
    const methods = app.actions.map((entry) => camelCase(entry.action_id));
    const fields = fieldList(app.parameters[best]).map((field) => field.name);

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
  const generated: TscRun[] = [];
  const baseline: TscRun[] = [];
  const runtime: TscRun[] = [];
  await tsc(projects.generated); // warm the OS file cache
  for (let r = 0; r < bench.settings.runs; r++) {
    generated.push(await tsc(projects.generated));
    baseline.push(await tsc(projects.baseline));
    runtime.push(await tsc(projects.generated, "tsconfig.runtime.json"));
  }
  const errors = generated.flatMap((run) => run.errors);
  const section = "typescript";
  const value = median(generated.map((run) => run.wallMs));
  const base = median(baseline.map((run) => run.wallMs));
  bench.figures.push(
    {
      id: "tsc.corpus",
      section,
      label: `tsc --noEmit over the generated corpus client (TS 5.9, median of ${generated.length})`,
      value,
      unit: "ms",
      baseline: { label: "inferred-literal single-module client", value: base, unit: "ms" },
      ratio: value / base,
      note:
        errors.length > 0
          ? `tsc reported errors: ${errors[0]}`
          : `check ${median(generated.map((run) => run.checkSeconds ?? NaN))} s, ${median(generated.map((run) => run.types ?? NaN))} types`,
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
    generated,
    baseline,
    runtimeOnly: runtime,
    baselineErrors: baseline.flatMap((run) => run.errors),
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
  bench.figures.push({
    id: "completions.open",
    section,
    label: "language service: open project + first completion",
    value: generated.openMs,
    unit: "ms",
    baseline: { label: "inferred-literal single-module client", value: baseline.openMs, unit: "ms" },
    ratio: generated.openMs / baseline.openMs,
  });
  bench.details["completions"] = { app: projects.app, method: projects.method, generated, baseline };
}

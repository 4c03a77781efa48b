/*
 * Many generated outputs, one compilation. tsc costs seconds per run, so every catalog of a batch is
 * generated into its own folder (`out/c000/`, `out/c001/`, ...) of ONE temporary project and compiled by
 * ONE tsc run, which also emits the JavaScript that a child process then imports and calls.
 *
 * The runtime is identical in every output, so the project holds it once (`out/shared/runtime/`) and the
 * tsconfig's `rootDirs` lets each output's `./runtime/...` imports resolve there: type-checking 150 copies
 * of it would triple the compile time. In the emitted JavaScript each output gets a `runtime` symlink to
 * the shared copy, so Node resolves every output's imports for real (a file an output imports but lacks
 * would fail there, even if `rootDirs` found a namesake in another output).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Field, ModelAction, ModelApp, TypeNode } from "../../generator/model/types.js";
import type { Catalog } from "../helpers/project.js";
import { hasLoneSurrogate } from "./arbitraries.js";
import {
  generate,
  objectFor,
  prng,
  runtimeOutputFiles,
  tsLiteral,
  type FieldSelection,
  type Generated,
} from "./support.js";

const run = promisify(execFile);
const TSC = resolve("node_modules/typescript/bin/tsc");

/** The compiler options the generated code promises to compile under (as test/helpers/tsc.ts, NodeNext). */
const STRICT = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [resolve("node_modules/@types")],
};

/** The API key every emulator of a batch requires, and every client sends. */
export const API_KEY = "pbt-key";

/** One catalog of a batch, with where it came from (for failure reports). */
export interface BatchInput {
  catalog: Catalog;
  /** Seed of the parameter values sent for this catalog. */
  valueSeed: number;
  /** `random #12`, `fixture: hostile`, ... */
  origin: string;
}

/** One call the typed calls module makes. */
export interface PlannedCall {
  /** Also the call's `linkedAccountId` (`call-<index>`), which finds its request in the emulator's log. */
  index: number;
  selection: FieldSelection;
  slug: string;
  actionId: string;
  property: string;
  method: string;
  /** The params object passed (own keys, `__proto__` included), or undefined for a call without params. */
  params: Record<string, unknown> | undefined;
  /** JSON.stringify of what the runtime must send: `params ?? {}`. */
  bodyJson: string;
  /** False when the slug or the action id holds a lone surrogate, which no URL can carry. */
  addressable: boolean;
  /** True when an optional field left out (at any depth) is named like an Object.prototype member (BUG A). */
  omitsInheritedName: boolean;
}

/** A catalog generated into the batch project. */
export interface BatchCase extends BatchInput {
  id: string;
  /** Undefined when generation threw; then `generationError` says why. */
  generated: Generated | undefined;
  generationError?: string;
  calls: PlannedCall[];
}

/** One compiler diagnostic, located. */
export interface CompileError {
  file: string;
  line: number;
  code: string;
  message: string;
  /** The source line it points at. */
  source: string;
  /** tsc's elaboration (the indented lines after the error line). */
  detail: string;
}

/** What the child process saw importing one output. */
export interface ImportReport {
  id: string;
  ok: boolean;
  error?: string;
  exports?: string[];
  rootKeys?: string[];
  thenable?: boolean;
  apps?: { property: string; methods: string[] | null; thenable: boolean | null; actions: unknown }[];
}

/** What the child process got back from one output's calls. */
export interface CallsReport {
  id: string;
  ok: boolean;
  error?: string;
  outcomes?: Outcome[];
}

/** One call's result, as the calls module reports it. */
export interface Outcome {
  call: number;
  ok: boolean;
  data?: unknown;
  error?: string;
  refold?: boolean;
  message?: string;
}

/** The child process's report. */
export interface ChildReport {
  exitCode: number | null;
  signal: string | null;
  stderr: string;
  /** Set when the child wrote no results (it died early). */
  missing: boolean;
  fired: { case: string; value: string }[];
  imports: ImportReport[];
  calls: CallsReport[];
}

/** A batch project on disk. */
export interface BatchProject {
  dir: string;
  cases: BatchCase[];
}

/** Plans the typed calls for a case: every action with every field, then with only required fields. */
function planCalls(generated: Generated, valueSeed: number): PlannedCall[] {
  const random = prng(valueSeed);
  const calls: PlannedCall[] = [];
  for (const selection of ["all", "required"] as const) {
    for (const app of generated.model.apps) {
      for (const action of app.actions) calls.push(planCall(calls.length, selection, app, action, random));
    }
  }
  return calls;
}

function planCall(
  index: number,
  selection: FieldSelection,
  app: ModelApp,
  action: ModelAction,
  random: () => number,
): PlannedCall {
  const built = objectFor(action.fields, random, selection);
  // params may be left out when nothing is required: then the runtime sends `{}`
  const params = !action.hasRequired && Object.keys(built).length === 0 && random() < 0.5 ? undefined : built;
  return {
    index,
    selection,
    slug: app.slug,
    actionId: action.id,
    property: app.property,
    method: action.method,
    params,
    bodyJson: JSON.stringify(params ?? {}),
    addressable: !hasLoneSurrogate(app.slug) && !hasLoneSurrogate(action.id),
    omitsInheritedName: omitsInheritedName(action.fields, params ?? {}),
  };
}

/** Whether `value` leaves out a field (at any depth) whose name `in {}` is true: `constructor`, `__proto__`, ... */
function omitsInheritedName(fields: readonly Field[], value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return fields.some((field) => {
    if (!Object.hasOwn(value, field.name)) return field.name in {};
    const inner = (value as Record<string, unknown>)[field.name];
    return omitsInheritedNameIn(field.type, inner);
  });
}

function omitsInheritedNameIn(type: TypeNode, value: unknown): boolean {
  if (type.kind === "object") return omitsInheritedName(type.fields, value);
  if (type.kind === "array" && Array.isArray(value))
    return value.some((item) => omitsInheritedNameIn(type.items, item));
  return false;
}

/** The typed calls module of one output: compiled with it, so the generated types must accept the values. */
function callsSource(calls: readonly PlannedCall[]): string {
  const lines = [
    "// Written by test/property/batch.ts: typed calls of every generated method.",
    'import { createRefold, RefoldError } from "./index.js";',
    "",
    "export interface Outcome {",
    "  call: number;",
    "  ok: boolean;",
    "  data?: unknown;",
    "  error?: string;",
    "  refold?: boolean;",
    "  message?: string;",
    "}",
    "",
    "async function settle(call: number, send: () => Promise<unknown>): Promise<Outcome> {",
    "  try {",
    "    return { call, ok: true, data: await send() };",
    "  } catch (error) {",
    "    const failure = error instanceof Error ? error : new Error(String(error));",
    "    return { call, ok: false, error: failure.name, refold: error instanceof RefoldError, message: failure.message };",
    "  }",
    "}",
    "",
    "export async function run(baseUrl: string): Promise<Outcome[]> {",
    `  const refold = createRefold({ apiKey: ${JSON.stringify(API_KEY)}, baseUrl, linkedAccountId: "acct-default", maxRetries: 0 });`,
    "  const outcomes: Outcome[] = [];",
  ];
  for (const call of calls) {
    const options = `{ linkedAccountId: "call-${call.index}" }`;
    const args = call.params === undefined ? `undefined, ${options}` : `${tsLiteral(call.params)}, ${options}`;
    lines.push(`  outcomes.push(await settle(${call.index}, () => refold.${call.property}.${call.method}(${args})));`);
  }
  lines.push("  return outcomes;", "}", "");
  return lines.join("\n");
}

/** Creates the project: shared runtime, one folder per catalog (output + calls module), tsconfig. */
export async function writeBatch(inputs: readonly BatchInput[], withCalls = true): Promise<BatchProject> {
  const dir = await mkdtemp(join(tmpdir(), "refold-pbt-"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, source] of await runtimeOutputFiles()) await put(join(dir, "out", "shared", path), source);
  const cases: BatchCase[] = [];
  for (const [at, input] of inputs.entries()) {
    const id = `c${String(at).padStart(3, "0")}`;
    let generated: Generated | undefined;
    let generationError: string | undefined;
    try {
      generated = await generate(input.catalog);
    } catch (error) {
      generationError = error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
    const calls = generated !== undefined && withCalls ? planCalls(generated, input.valueSeed) : [];
    cases.push({ ...input, id, generated, ...(generationError !== undefined ? { generationError } : {}), calls });
    if (generated === undefined) continue;
    for (const [path, source] of generated.files) await put(join(dir, "out", id, path), source);
    if (withCalls) await put(join(dir, "out", id, "calls.ts"), callsSource(calls));
  }
  const rootDirs = ["out/shared", ...cases.filter((c) => c.generated).map((c) => `out/${c.id}`)];
  const tsconfig = { compilerOptions: { ...STRICT, outDir: "js", rootDir: ".", rootDirs }, include: ["out/**/*.ts"] };
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  return { dir, cases };
}

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** Runs tsc once over the whole project (type-check and emit); returns every error, located. */
export async function compileBatch(project: BatchProject): Promise<{ errors: CompileError[]; output: string }> {
  let output: string;
  try {
    const result = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--pretty", "false"], {
      cwd: project.dir,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
    });
    output = `${result.stdout}${result.stderr}\n`;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    output = `${stdout}${stderr}\n`;
  }
  const errors: CompileError[] = [];
  const sources = new Map<string, string[]>();
  for (const match of output.matchAll(/^([^\n]+?)\((\d+),\d+\): error (TS\d+): ([^\n]*)\n((?:[ \t][^\n]*\n)*)/gm)) {
    const [, file = "", line = "0", code = "", message = "", detail = ""] = match;
    let lines = sources.get(file);
    if (lines === undefined) {
      // "\n" only: a generated file may hold U+2028 in a string, which is not a line break for tsc's line numbers
      lines = (await readFile(join(project.dir, file), "utf8").catch(() => "")).split("\n");
      sources.set(file, lines);
    }
    errors.push({ file, line: Number(line), code, message, source: lines[Number(line) - 1] ?? "", detail });
  }
  if (errors.length === 0 && /error TS/.test(output)) {
    errors.push({ file: "(project)", line: 0, code: "TS?", message: output.slice(0, 2000), source: "", detail: "" });
  }
  // tsc emits even when a file has errors; each output then gets its runtime as a symlink to the shared one
  for (const c of project.cases) {
    if (c.generated === undefined) continue;
    await mkdir(join(project.dir, "js", "out", c.id), { recursive: true });
    await symlink("../shared/runtime", join(project.dir, "js", "out", c.id, "runtime"), "dir").catch(() => undefined);
  }
  return { errors, output };
}

/** The case a compiler error belongs to (`out/c012/...` gives `c012`). */
export function caseOf(error: CompileError): string | undefined {
  return /^out\/(c\d{3})\//.exec(error.file)?.[1];
}

/**
 * The child process: imports every compiled output with a tripwire on `globalThis.__pwned` (exit codes
 * other than 0, e.g. from an injected `process.exit(7)`, show as the child's exit code), reports what each
 * import exposes, then runs every output's calls module against its emulator.
 */
const RUNNER = String.raw`
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [casesFile, resultsFile] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const fired = [];
let current = "(start)";
Object.defineProperty(globalThis, "__pwned", {
  configurable: false,
  get: () => undefined,
  set: (value) => fired.push({ case: current, value: String(value) }),
});
const describe = (error) => String((error && error.stack) || error);

const imports = [];
for (const c of cases) {
  current = c.id;
  process.stderr.write("import " + c.id + "\n");
  const report = { id: c.id, ok: false };
  try {
    const index = await import(pathToFileURL(c.index).href);
    report.exports = Object.keys(index);
    const refold = index.createRefold({ apiKey: "k", baseUrl: "http://127.0.0.1:9", linkedAccountId: "a" });
    // Apps and methods are enumerable getters on shared prototypes (for...in sees them), the calls around
    // the apps are methods of the root.
    const keysOf = (object) => { const keys = []; for (const key in object) keys.push(key); return keys; };
    report.rootKeys = [...keysOf(refold), ...["forAccount", "connections", "sessionToken", "close"].filter((key) => typeof refold[key] === "function")];
    report.thenable = "then" in refold;
    report.apps = c.apps.map((app) => {
      const client = refold[app.property];
      const list = index[app.actionsConst];
      return {
        property: app.property,
        methods: client ? keysOf(client).filter((key) => typeof client[key] === "function") : null,
        thenable: client ? "then" in client : null,
        actions: Array.isArray(list) ? list.map((info) => ({ actionId: info.actionId, method: info.method })) : null,
      };
    });
    report.ok = true;
  } catch (error) {
    report.error = describe(error);
  }
  imports.push(report);
}

const calls = [];
for (const c of cases) {
  current = c.id;
  process.stderr.write("call " + c.id + "\n");
  try {
    const module = await import(pathToFileURL(c.calls).href);
    calls.push({ id: c.id, ok: true, outcomes: await module.run(c.url) });
  } catch (error) {
    calls.push({ id: c.id, ok: false, error: describe(error) });
  }
}
writeFileSync(resultsFile, JSON.stringify({ fired, imports, calls }));
process.exit();
`;

/** Runs the child over every generated case; `urls` maps case ids to their emulator. */
export async function runChild(project: BatchProject, urls: ReadonlyMap<string, string>): Promise<ChildReport> {
  const runner = join(project.dir, "runner.mjs");
  const casesFile = join(project.dir, "cases.json");
  const resultsFile = join(project.dir, "results.json");
  await writeFile(runner, RUNNER);
  await rm(resultsFile, { force: true });
  const list = project.cases
    .filter((c) => c.generated !== undefined)
    .map((c) => ({
      id: c.id,
      index: join(project.dir, "js", "out", c.id, "index.js"),
      calls: join(project.dir, "js", "out", c.id, "calls.js"),
      url: urls.get(c.id) ?? "http://127.0.0.1:9",
      apps: (c.generated?.model.apps ?? []).map((app) => ({ property: app.property, actionsConst: app.actionsConst })),
    }));
  await writeFile(casesFile, JSON.stringify(list));
  let exitCode: number | null = 0;
  let signal: string | null = null;
  let stderr: string;
  try {
    const result = await run(process.execPath, [runner, casesFile, resultsFile], {
      cwd: project.dir,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    stderr = result.stderr;
  } catch (error) {
    const failure = error as { code?: number | string; signal?: string; stderr?: string };
    exitCode = typeof failure.code === "number" ? failure.code : null;
    signal = failure.signal ?? null;
    stderr = failure.stderr ?? String(error);
  }
  const text = await readFile(resultsFile, "utf8").catch(() => undefined);
  const parsed = text === undefined ? undefined : (JSON.parse(text) as Omit<ChildReport, "exitCode" | "signal">);
  return {
    exitCode,
    signal,
    stderr,
    missing: parsed === undefined,
    fired: parsed?.fired ?? [],
    imports: parsed?.imports ?? [],
    calls: parsed?.calls ?? [],
  };
}

/** Deletes a batch project unless REFOLD_PBT_KEEP is set (then prints where it is). */
export async function removeBatch(project: BatchProject | undefined): Promise<void> {
  if (project === undefined) return;
  if (process.env["REFOLD_PBT_KEEP"]) {
    console.info(`[pbt] kept the batch project at ${project.dir}`);
    return;
  }
  await rm(project.dir, { recursive: true, force: true });
}

/**
 * Greedy reduction of a catalog that fails to compile (its output or its typed calls), a batch of
 * candidates per tsc run: drop an app, an action, a field, a documentation key; keep the first candidate
 * that still fails. Bounded: at most 5 rounds of 60 candidates, so a failure report costs about a minute.
 */
export async function minimizeCompileFailure(
  input: BatchInput,
  stillFails: (errors: readonly CompileError[]) => boolean,
  rounds = 5,
): Promise<Catalog> {
  let current = input.catalog;
  for (let round = 0; round < rounds; round++) {
    const candidates = reductions(current).slice(0, 60);
    if (candidates.length === 0) break;
    const project = await writeBatch(
      candidates.map((candidate, at) => ({
        catalog: candidate,
        valueSeed: input.valueSeed,
        origin: `candidate ${at}`,
      })),
    );
    try {
      const { errors } = await compileBatch(project);
      const failing = project.cases.find((c) => stillFails(errors.filter((error) => caseOf(error) === c.id)));
      if (failing === undefined) break;
      current = failing.catalog;
    } finally {
      await rm(project.dir, { recursive: true, force: true });
    }
  }
  return current;
}

/** Smaller variants of a catalog, biggest cuts first. */
function reductions(catalog: Catalog): Catalog[] {
  const out: Catalog[] = [];
  const slugs = Object.keys(catalog.apps);
  const withApp = (slug: string, app: Catalog["apps"][string]): Catalog => ({
    apps: Object.fromEntries(slugs.map((s) => [s, s === slug ? app : catalog.apps[s]])) as Catalog["apps"],
  });
  if (slugs.length > 1)
    for (const slug of slugs)
      out.push({
        apps: Object.fromEntries(slugs.filter((s) => s !== slug).map((s) => [s, catalog.apps[s]])) as Catalog["apps"],
      });
  for (const slug of slugs) {
    const app = catalog.apps[slug] as Catalog["apps"][string];
    if (app.actions.length > 1)
      for (const entry of app.actions) {
        const actions = app.actions.filter((other) => other !== entry);
        const keep = new Set(actions.map((other) => other.action_id));
        const parameters = Object.fromEntries(Object.entries(app.parameters).filter(([id]) => keep.has(id)));
        out.push(withApp(slug, { actions, parameters }));
      }
    for (const [id, payload] of Object.entries(app.parameters)) {
      const list = Array.isArray(payload) ? payload : ((payload as { parameters?: unknown[] }).parameters ?? []);
      const replace = (next: unknown[]) =>
        withApp(slug, { ...app, parameters: { ...app.parameters, ...Object.fromEntries([[id, next]]) } });
      list.forEach((_, at) => out.push(replace(list.filter((__, other) => other !== at))));
      list.forEach((item, at) => {
        if (typeof item !== "object" || item === null) return;
        const bare = Object.fromEntries(
          Object.entries(item).filter(
            ([key]) => !["label", "description", "help_text", "placeholder", "default"].includes(key),
          ),
        );
        if (Object.keys(bare).length < Object.keys(item).length)
          out.push(replace(list.map((x, o) => (o === at ? bare : x))));
      });
    }
  }
  return out;
}

/*
 * Shared pieces of the property tests: seed handling, generation in-process, and parameter values
 * built from an action's normalized fields (as data, and as TypeScript source for typed calls).
 */
import { createHash } from "node:crypto";
import type { AppConfig } from "../../generator/config/types.js";
import type { Diagnostic } from "../../generator/util/diagnostics.js";
import { emitFiles } from "../../generator/emit/files.js";
import { runtimeTemplates } from "../../generator/pipeline/templates.js";
import { buildModel } from "../../generator/model/build.js";
import { setOwn } from "../../generator/util/records.js";
import type { Field, Model, TypeNode } from "../../generator/model/types.js";
import { lockFromCatalog, type Catalog } from "../helpers/project.js";
import { PAYLOADS, SPECIAL_NAMES } from "./arbitraries.js";
import { mulberry32 } from "../../generator/mock/shuffle.js";

export { setOwn };

/** Default seed of every property: fixed, so CI runs are reproducible. */
export const DEFAULT_SEED = 20_240_611;

/** The run's base seed: `REFOLD_PBT_SEED` when set (decimal or 0x hex), else the fixed default. */
export function baseSeed(): number {
  const raw = process.env["REFOLD_PBT_SEED"];
  if (raw === undefined || raw.trim() === "") return DEFAULT_SEED;
  const seed = Number(raw.trim());
  if (!Number.isSafeInteger(seed)) throw new Error(`REFOLD_PBT_SEED must be an integer, got "${raw}"`);
  return seed | 0;
}

/** A property's own seed, derived from the base seed and its name (so properties draw different cases). */
export function seedFor(property: string): number {
  const salt = createHash("sha256").update(property).digest().readInt32LE(0);
  return (baseSeed() ^ salt) | 0;
}

/** A property's run count: the default, or `REFOLD_PBT_RUNS` scaled (`REFOLD_PBT_RUNS=2` doubles every count). */
export function runsFor(defaultRuns: number): number {
  const raw = process.env["REFOLD_PBT_RUNS"];
  const scale = raw === undefined || raw.trim() === "" ? 1 : Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`REFOLD_PBT_RUNS must be a positive number, got "${raw}"`);
  return Math.max(1, Math.round(defaultRuns * scale));
}

/** Prints how to replay a property; called once per property before it runs. */
export function announce(property: string, seed: number, runs: number): void {
  console.info(
    `[pbt] ${property}: base seed ${baseSeed()} (property seed ${seed}), ${runs} cases; replay with REFOLD_PBT_SEED=${baseSeed()}`,
  );
}

/** The config a catalog is generated with: every app, no include/exclude, no kind overrides. */
export function appsOf(catalog: Catalog): AppConfig[] {
  return Object.keys(catalog.apps).map((slug) => ({ slug, kinds: {} }));
}

/** The product's pipeline from catalog to output files, as `generate` renders it (pipeline/render.ts). */
export interface Generated {
  model: Model;
  diagnostics: Diagnostic[];
  /** The output files by path, `runtime/` excluded: a verbatim copy of templates/. */
  files: Map<string, string>;
  /** The output as comparable data (see `emittedData`). */
  data: unknown;
}

/** Text files, `runtime/` left out. */
const withoutRuntime = (files: ReadonlyMap<string, string>): Map<string, string> =>
  new Map([...files].filter(([path]) => !path.startsWith("runtime/")));

/** Lock, model and emit, in-process: every output file, the runtime included. */
export async function emit(
  catalog: Catalog,
  apps: readonly AppConfig[] = appsOf(catalog),
): Promise<{ model: Model; diagnostics: Diagnostic[]; files: Map<string, string> }> {
  const { model, diagnostics } = buildModel(lockFromCatalog(catalog), apps);
  return { model, diagnostics, files: emitFiles(model, await runtimeTemplates()) };
}

/** Runs lock, model and emit for a catalog, in-process, the way `generate` renders (pipeline/render.ts). */
export async function generate(catalog: Catalog, apps: readonly AppConfig[] = appsOf(catalog)): Promise<Generated> {
  const { model, diagnostics, files } = await emit(catalog, apps);
  return { model, diagnostics, files: withoutRuntime(files), data: emittedData(files) };
}

/** An output as comparable data: its files, the runtime excluded. */
export function emittedData(files: ReadonlyMap<string, string>): unknown {
  return [...withoutRuntime(files)];
}

/** The runtime's files as every output carries them, by output path. */
export async function runtimeOutputFiles(): Promise<Map<string, string>> {
  const files = emitFiles({ apps: [] }, await runtimeTemplates());
  return new Map([...files].filter(([path]) => path.startsWith("runtime/")));
}

/** A small deterministic PRNG (mulberry32), identical on every platform. */
export const prng = mulberry32;

/** Same items, shuffled by a seeded Fisher-Yates. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The same catalog as an API listing things in another order: apps, action entries and parameter keys
 * shuffled (field order carries meaning and stays).
 */
export function shuffledCatalog(catalog: Catalog, seed: number): Catalog {
  const random = prng(seed);
  const apps = shuffle(Object.entries(catalog.apps), random).map(([slug, app]) => {
    const parameters = Object.fromEntries(shuffle(Object.entries(app.parameters), random));
    return [slug, { actions: shuffle(app.actions, random), parameters }] as const;
  });
  return { apps: Object.fromEntries(apps) };
}

/** Which fields a call sends: all of them, or only the required ones (at every depth). */
export type FieldSelection = "all" | "required";

/** Strings sent as values: plain, hostile and payload-bearing. */
const TEXT_VALUES = [
  "",
  "plain",
  "jane@example.com",
  "__proto__",
  "a\"b'c`d\\e",
  "line\nbreak\r\u2028\u2029",
  "\u202e\u2066bidi",
  "nul\u0000",
  "🚀 𝒳",
  "lone \ud800 half",
  "連絡先",
  ...PAYLOADS.slice(0, 6),
];
const NUMBER_VALUES = [0, 1, -1, 42, 3.5, -0.25, 1e21, 2 ** 53, 5e-324, 1e-7];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A JSON value with hostile keys (own `__proto__` included), for `json` fields. */
function jsonValueFor(random: () => number, depth: number): unknown {
  const roll = random();
  if (depth > 2 || roll < 0.5) return pick<unknown>([null, true, false, 0, -2.5, ...TEXT_VALUES.slice(0, 6)], random);
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 3) }, () => jsonValueFor(random, depth + 1));
  const value: Record<string, unknown> = {};
  const count = Math.floor(random() * 3);
  for (let i = 0; i < count; i++) setOwn(value, pick(SPECIAL_NAMES, random), jsonValueFor(random, depth + 1));
  return value;
}

/** A value every validator (the runtime's and the emulator's) accepts for a normalized type. */
export function valueFor(type: TypeNode, random: () => number, selection: FieldSelection, depth = 0): unknown {
  switch (type.kind) {
    case "string":
    case "unknown":
      return pick(TEXT_VALUES, random);
    case "number":
      return pick(NUMBER_VALUES, random);
    case "boolean":
      return random() < 0.5;
    case "json":
      return jsonValueFor(random, depth);
    case "enum":
      return type.multiple
        ? type.values.filter(() => random() < 0.5)
        : type.values[Math.floor(random() * type.values.length)];
    case "object":
      return objectFor(type.fields, random, selection, depth + 1);
    case "array":
      // never null items: the runtime refuses them even in arrays of JSON values (BUG F, see known-bugs.test.ts)
      return Array.from({ length: Math.floor(random() * 3) }, () =>
        nonNull(() => valueFor(type.items, random, selection, depth + 1)),
      );
  }
}

function nonNull(make: () => unknown): unknown {
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = make();
    if (value !== null) return value;
  }
  return 0;
}

/** The params object for a field list: required fields always, optional ones per `selection`. */
export function objectFor(
  fields: readonly Field[],
  random: () => number,
  selection: FieldSelection,
  depth = 0,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    if (selection === "required" && !field.required) continue;
    setOwn(value, field.name, valueFor(field.type, random, selection, depth));
  }
  return value;
}

/**
 * TypeScript source for a JSON-like value. Keys are computed (`["__proto__"]: 1` makes an own key, where
 * `"__proto__": 1` would set the prototype); strings go through JSON.stringify (lone surrogates escaped).
 */
export function tsLiteral(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value).map(
      (key) => `[${quote(key)}]: ${tsLiteral((value as Record<string, unknown>)[key])}`,
    );
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  throw new Error(`not a JSON value: ${typeof value}`);
}

/** A string literal; U+2028 and U+2029 (valid there, but line ends for tsc's line numbers) escaped. */
function quote(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Model } from "../model/types.js";
import { runtimeTemplateDir } from "../paths.js";
import { emitAppModule } from "./app-module.js";
import { appCacheKey, reusable, seal } from "./cache.js";
import { GENERATED_HEADER, OUTPUT_PACKAGE_JSON } from "./header.js";
import { emitIndexModule } from "./index-module.js";

/** Output files by path relative to the output folder (forward slashes), in a stable order. */
export type OutputFiles = Map<string, string>;

/** The emitted output, the files whose layout only prettier can settle, and the cache keys to seal. */
export interface EmittedOutput {
  files: OutputFiles;
  unsure: ReadonlySet<string>;
  /** Freshly emitted app modules and their cache keys: sealed (see cache.ts) once formatted. */
  keys: ReadonlyMap<string, string>;
}

/** Appends the cache key line to every freshly emitted app module; the output is then final. */
export function sealFiles(files: OutputFiles, keys: ReadonlyMap<string, string>): OutputFiles {
  const sealed: OutputFiles = new Map(files);
  for (const [path, key] of keys) sealed.set(path, seal(files.get(path) ?? "", key));
  return sealed;
}

/**
 * Every file of the output: the index, its package.json, one module per app, and the runtime copied from
 * templates/. An app module in `previous` (the output as it is) whose cache key still matches is reused
 * as it is: neither emitted nor formatted again.
 */
export async function emitFiles(model: Model, previous?: ReadonlyMap<string, string>): Promise<EmittedOutput> {
  const files: OutputFiles = new Map();
  const unsure = new Set<string>();
  const keys = new Map<string, string>();
  const add = (path: string, emitted: { source: string; unsure: boolean }) => {
    files.set(path, emitted.source);
    if (emitted.unsure) unsure.add(path);
  };
  add("index.ts", emitIndexModule(model));
  files.set("package.json", OUTPUT_PACKAGE_JSON);
  for (const app of model.apps) {
    const path = `${app.file}.ts`;
    const key = appCacheKey(app);
    const reused = reusable(previous?.get(path), key);
    if (reused !== undefined) {
      files.set(path, reused);
    } else {
      add(path, emitAppModule(app));
      keys.set(path, key);
    }
  }
  for (const [name, source] of await runtimeFiles()) files.set(`runtime/${name}`, source);
  return { files, unsure, keys };
}

let runtimeCache: Promise<[string, string][]> | undefined;

/** The runtime's sources with the generated header, read once per process. */
function runtimeFiles(): Promise<[string, string][]> {
  runtimeCache ??= (async () => {
    const dir = runtimeTemplateDir();
    const names = (await readdir(dir)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts")).sort();
    return Promise.all(
      names.map(async (name): Promise<[string, string]> => [
        name,
        `${GENERATED_HEADER}\n${await readFile(join(dir, name), "utf8")}`,
      ]),
    );
  })();
  return runtimeCache;
}

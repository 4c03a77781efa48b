import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AppNames, ModelApp } from "../model/types.js";
import { runtimeTemplateDir } from "../paths.js";
import { emitAppModule } from "./app-module.js";
import { seal } from "./cache.js";
import { GENERATED_HEADER, OUTPUT_PACKAGE_JSON } from "./header.js";
import { emitIndexModule } from "./index-module.js";

/**
 * Output files by path relative to the output folder (forward slashes), in a stable order. A file kept from
 * the output on disk stays the bytes read (never decoded, hashed again or rewritten); the rest are text.
 */
export type OutputFiles = Map<string, string | Buffer>;

/** The emitted output and the cache keys to seal. */
export interface EmittedOutput {
  files: OutputFiles;
  /**
   * Always empty: the writer's layout is its own and final, so no file goes through prettier. Kept until the
   * format stage (write/format.ts) that reads it goes.
   */
  unsure: ReadonlySet<string>;
  /** Freshly emitted app modules and their cache keys: sealed (see cache.ts) once formatted. */
  keys: ReadonlyMap<string, string>;
}

/** An app's module: kept as it is on disk, or emitted from the app's model and sealed with its cache key. */
export type AppModule = { kept: Buffer } | { model: ModelApp; key: string };

/** Appends the cache key line to every freshly emitted app module; the output is then final. */
export function sealFiles(files: OutputFiles, keys: ReadonlyMap<string, string>): OutputFiles {
  const sealed: OutputFiles = new Map(files);
  for (const [path, key] of keys) sealed.set(path, seal(String(files.get(path) ?? ""), key));
  return sealed;
}

/**
 * Every file of the output: the index, its package.json, one module per app, and the runtime copied from
 * templates/. `moduleOf` is asked for each app's module in turn, so a caller can build one app's model at
 * a time and let it go once emitted.
 */
export async function emitFiles<App extends AppNames>(
  apps: readonly App[],
  moduleOf: (app: App) => AppModule,
): Promise<EmittedOutput> {
  const files: OutputFiles = new Map();
  const keys = new Map<string, string>();
  files.set("index.ts", emitIndexModule(apps).source);
  files.set("package.json", OUTPUT_PACKAGE_JSON);
  for (const app of apps) {
    const path = `${app.file}.ts`;
    const module = moduleOf(app);
    if ("kept" in module) {
      files.set(path, module.kept);
    } else {
      files.set(path, emitAppModule(module.model).source);
      keys.set(path, module.key);
    }
  }
  for (const [name, source] of await runtimeFiles()) files.set(`runtime/${name}`, source);
  return { files, unsure: new Set(), keys };
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

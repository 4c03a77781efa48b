import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Model } from "../model/types.js";
import { runtimeTemplateDir } from "../paths.js";
import { emitAppModule } from "./app-module.js";
import { GENERATED_HEADER, OUTPUT_PACKAGE_JSON } from "./header.js";
import { emitIndexModule } from "./index-module.js";

/** Output files by path relative to the output folder (forward slashes), in a stable order. */
export type OutputFiles = Map<string, string>;

/** The emitted output, and the files whose layout only prettier can settle. */
export interface EmittedOutput {
  files: OutputFiles;
  unsure: ReadonlySet<string>;
}

/** Every file of the output: the index, its package.json, one module per app, and the runtime copied from templates/. */
export async function emitFiles(model: Model): Promise<EmittedOutput> {
  const files: OutputFiles = new Map();
  const unsure = new Set<string>();
  const add = (path: string, emitted: { source: string; unsure: boolean }) => {
    files.set(path, emitted.source);
    if (emitted.unsure) unsure.add(path);
  };
  add("index.ts", emitIndexModule(model));
  files.set("package.json", OUTPUT_PACKAGE_JSON);
  for (const app of model.apps) add(`${app.file}.ts`, emitAppModule(app));
  for (const [name, source] of await runtimeFiles()) files.set(`runtime/${name}`, source);
  return { files, unsure };
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

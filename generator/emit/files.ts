import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Model } from "../model/types.js";
import { runtimeTemplateDir } from "../util/paths.js";
import { emitAppModule } from "./app-module.js";
import { GENERATED_HEADER, OUTPUT_PACKAGE_JSON } from "./header.js";
import { emitIndexModule } from "./index-module.js";

/** Output files by path relative to the output folder (forward slashes), in a stable order. */
export type OutputFiles = ReadonlyMap<string, string>;

/** Every TypeScript file of the output: the index, its package.json, one module per app, and the runtime. */
export async function emitFiles(model: Model): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("index.ts", emitIndexModule(model.apps).source);
  files.set("package.json", OUTPUT_PACKAGE_JSON);
  for (const app of model.apps) files.set(`${app.file}.ts`, emitAppModule(app).source);
  for (const [name, source] of await runtimeFiles()) files.set(`runtime/${name}`, source);
  return files;
}

const templateCache = new Map<string, Promise<[string, string][]>>();

/** The runtime's sources (templates/runtime, copied verbatim) with the generated header. */
function runtimeFiles(): Promise<[string, string][]> {
  return templateFiles(runtimeTemplateDir());
}

/** A template folder's TypeScript sources with the generated header, read once per process. */
export function templateFiles(dir: string): Promise<[string, string][]> {
  let files = templateCache.get(dir);
  if (files === undefined) {
    files = (async () => {
      const names = (await readdir(dir)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts")).sort();
      return Promise.all(
        names.map(async (name): Promise<[string, string]> => [
          name,
          `${GENERATED_HEADER}\n${await readFile(join(dir, name), "utf8")}`,
        ]),
      );
    })();
    templateCache.set(dir, files);
  }
  return files;
}

import type { Model } from "../model/types.js";
import type { TemplateFiles } from "../pipeline/templates.js";
import { emitAppModule } from "./app-module.js";
import { OUTPUT_PACKAGE_JSON } from "./header.js";
import { emitIndexModule } from "./index-module.js";

/** Output files by path relative to the output folder (forward slashes), in a stable order. */
export type OutputFiles = ReadonlyMap<string, string>;

/**
 * Every TypeScript file of the output: the index, its package.json, one module per app, and the runtime
 * (`runtime`: the templates the pipeline read, copied verbatim).
 */
export function emitFiles(model: Model, runtime: TemplateFiles): Map<string, string> {
  const files = new Map<string, string>();
  files.set("index.ts", emitIndexModule(model.apps).source);
  files.set("package.json", OUTPUT_PACKAGE_JSON);
  for (const app of model.apps) files.set(`${app.file}.ts`, emitAppModule(app).source);
  for (const [name, source] of runtime) files.set(`runtime/${name}`, source);
  return files;
}

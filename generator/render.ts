import type { EmitConfig } from "./config/types.js";
import { stampOutput } from "./emit/cache.js";
import { emitFiles, sealFiles, type OutputFiles } from "./emit/files.js";
import type { Model } from "./model/types.js";
import { emitSchemaFiles } from "./schemas/index.js";
import { formatFiles } from "./write/format.js";

/** What to render besides the TypeScript clients. */
export interface RenderOptions {
  /** The config's `emit`: tool schemas and the OpenAPI document (both off by default). */
  emit?: Partial<EmitConfig>;
  /** The run's inputs key (see emit/cache.ts): stamps index.ts so an unchanged later run can stop early. */
  runKey?: string;
}

/**
 * Model in, final output files out: emit (reusing app modules from `previous` whose cache key and content
 * still match), let prettier settle the files the writer was unsure of, then seal the fresh app modules.
 * The optional JSON files (`emit`) are added last: they are final as emitted.
 */
export async function renderOutput(
  model: Model,
  previous?: ReadonlyMap<string, string>,
  options: RenderOptions = {},
): Promise<OutputFiles> {
  const emitted = await emitFiles(model, previous);
  const files = sealFiles(await formatFiles(emitted), emitted.keys);
  for (const [path, content] of emitSchemaFiles(model, options.emit)) files.set(path, content);
  if (options.runKey !== undefined) stampOutput(files, options.runKey);
  return files;
}

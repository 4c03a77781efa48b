import { emitFiles, sealFiles, type OutputFiles } from "./emit/files.js";
import type { Model } from "./model/types.js";
import { formatFiles } from "./write/format.js";

/**
 * Model in, final output files out: emit (reusing app modules from `previous` whose cache key and content
 * still match), let prettier settle the files the writer was unsure of, then seal the fresh app modules.
 */
export async function renderOutput(model: Model, previous?: ReadonlyMap<string, string>): Promise<OutputFiles> {
  const emitted = await emitFiles(model, previous);
  return sealFiles(await formatFiles(emitted), emitted.keys);
}

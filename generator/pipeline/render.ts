import type { ResolvedConfig } from "../config/types.js";
import { emitFiles } from "../emit/files.js";
import type { LockFile } from "../lock/types.js";
import { buildModel } from "../model/build.js";
import type { Model } from "../model/types.js";
import { EMPTY_RESULTS, type ResultsFile } from "../results/file.js";
import type { Diagnostic } from "../util/diagnostics.js";
import { mcpTemplates, runtimeTemplates } from "./templates.js";

/** The rendered output, and everything noticed while building the model it came from. */
export interface Rendered {
  /** Every output file by path relative to the output folder. */
  files: Map<string, string>;
  model: Model;
  /** An error-severity diagnostic means the output must not be written. */
  diagnostics: Diagnostic[];
}

/**
 * Lock, config and recorded result shapes in, output files out, in memory: model (normalize, choose every
 * name), emit the TypeScript clients, then the optional JSON files the config asks for (`emit`). It reads the
 * package's own templates, the stages read nothing; the same lock, config and results give the same bytes on
 * any machine.
 */
export async function render(
  lock: LockFile,
  config: Pick<ResolvedConfig, "apps" | "emit">,
  results: ResultsFile = EMPTY_RESULTS,
): Promise<Rendered> {
  const { model, diagnostics } = buildModel(lock, config.apps, results);
  const files = emitFiles(model, await runtimeTemplates());
  if (config.emit.schemas || config.emit.openapi) {
    // Loaded only by configs that ask for the JSON files.
    const { emitSchemaFiles } = await import("../schemas/index.js");
    for (const [path, content] of emitSchemaFiles(model, config.emit)) files.set(path, content);
  }
  if (config.emit.mcp) {
    const { emitMcpFiles } = await import("../emit/mcp-module.js");
    for (const [path, content] of emitMcpFiles(model, await mcpTemplates())) files.set(path, content);
  }
  return { files, model, diagnostics };
}

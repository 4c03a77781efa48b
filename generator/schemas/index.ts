import type { EmitConfig } from "../config/types.js";
import type { Model } from "../model/types.js";
import { assignToolNames } from "./names.js";
import { emitOpenApi } from "./openapi.js";
import { emitToolsFile } from "./tools.js";

/**
 * The optional JSON output files the config's `emit` asks for, by path relative to the output folder:
 * `schemas/<app file>.json` per app and `openapi.json`. Pure and cheap, so they are emitted afresh on every
 * run (never cached, never formatted: JSON.stringify lays them out).
 */
export function emitSchemaFiles(model: Model, emit: Partial<EmitConfig> = {}): Map<string, string> {
  const files = new Map<string, string>();
  if (emit.schemas !== true && emit.openapi !== true) return files;
  const names = assignToolNames(model);
  if (emit.openapi === true) files.set("openapi.json", emitOpenApi(model, names));
  if (emit.schemas === true)
    for (const app of model.apps) files.set(`schemas/${app.file}.json`, emitToolsFile(app, names));
  return files;
}

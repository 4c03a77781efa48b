import { Ajv2020 } from "ajv/dist/2020.js";
import { buildModel } from "../../generator/model/build.js";
import type { Model } from "../../generator/model/types.js";
import { emitSchemaFiles } from "../../generator/schemas/index.js";
import type { ToolsFile } from "../../generator/schemas/tools.js";
import { lockFromCatalog, type Catalog } from "../helpers/project.js";
import { seededShuffle } from "../../generator/mock/shuffle.js";

/** The model of every app of a catalog, as `generate` builds it. */
export function modelOf(catalog: Catalog): Model {
  const lock = lockFromCatalog(catalog);
  return buildModel(
    lock,
    Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
  ).model;
}

/** The JSON files `emit: { schemas: true, openapi: true }` adds, as text. */
export function jsonFilesOf(catalog: Catalog): Map<string, string> {
  return emitSchemaFiles(modelOf(catalog), { schemas: true, openapi: true });
}

/** Every `schemas/*.json` file of an output, parsed. */
export function toolFiles(files: ReadonlyMap<string, string>): ToolsFile[] {
  return [...files].filter(([path]) => path.startsWith("schemas/")).map(([, text]) => JSON.parse(text) as ToolsFile);
}

/**
 * A strict draft 2020-12 validator: unknown keywords, type-less `properties`/`items` and the like are errors,
 * so the schemas stay inside the keywords every consumer understands. `ownProperties`, because without it
 * Ajv reads a property named `constructor` or `toString` from Object.prototype when the instance lacks it.
 */
export function strictAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true, ownProperties: true });
}

/** `^[a-zA-Z0-9_-]{1,64}$`: what OpenAI and Anthropic both accept as a tool name. */
export const VENDOR_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Deterministic shuffle. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  return seededShuffle(items, seed, "test");
}

/** The catalog with every app's actions and the apps themselves listed in another order. */
export function reordered(catalog: Catalog, seed: number): Catalog {
  const copy = structuredClone(catalog);
  for (const app of Object.values(copy.apps)) app.actions = shuffled(app.actions, seed);
  return { apps: Object.fromEntries(shuffled(Object.entries(copy.apps), seed + 1)) };
}

import { CodegenError, ExitCode, type Diagnostic } from "../util/diagnostics.js";
import type { PulledApp, RawActionEntry } from "../lock/types.js";
import { normalizeParameters } from "../model/fields.js";
import type { Field } from "../model/types.js";
import { isRecord } from "../util/records.js";

/** One servable action: its stored list entry and payload, and the fields execute bodies are checked against. */
export interface CatalogAction {
  entry: RawActionEntry;
  /** The parameter payload exactly as stored (`[]` when the lock has none for this action). */
  payload: unknown;
  /** Undefined when the payload could not be understood: then any JSON object body is accepted. */
  fields: readonly Field[] | undefined;
}

/** One servable app. */
export interface CatalogApp {
  slug: string;
  /** The action list exactly as stored, in stored order. */
  entries: readonly unknown[];
  actions: ReadonlyMap<string, CatalogAction>;
}

/** Everything the emulator serves, indexed by Maps so hostile slugs and ids (`__proto__`) are plain keys. */
export interface Catalog {
  apps: ReadonlyMap<string, CatalogApp>;
  /** What normalizing the stored payloads reported (unknown types, unusable payloads). */
  diagnostics: Diagnostic[];
}

/**
 * Indexes a lock's `apps` (or a catalog's, which lacks the hashes) and normalizes every action's fields
 * once, with the same normalizer as generation, so the emulator and the generated types agree on what a
 * field accepts. A shape it cannot serve at all is a usage error.
 */
export function buildCatalog(apps: Readonly<Record<string, PulledApp>>): Catalog {
  if (typeof apps !== "object" || apps === null || Array.isArray(apps)) {
    throw new CodegenError("mock: `apps` must be an object mapping slugs to { actions, parameters }", ExitCode.usage);
  }
  const diagnostics: Diagnostic[] = [];
  const served = new Map<string, CatalogApp>();
  for (const [slug, app] of Object.entries(apps)) {
    if (typeof app !== "object" || app === null || !Array.isArray(app.actions)) {
      throw new CodegenError(`mock: app "${slug}" has no "actions" array`, ExitCode.usage);
    }
    const parameters: unknown = app.parameters ?? {};
    const actions = new Map<string, CatalogAction>();
    for (const entry of app.actions) {
      if (!isRecord(entry) || typeof entry["action_id"] !== "string" || actions.has(entry["action_id"])) continue;
      const id = entry["action_id"];
      const payload = isRecord(parameters) && Object.hasOwn(parameters, id) ? parameters[id] : [];
      const normalized = normalizeParameters(payload, { app: slug, action: id });
      diagnostics.push(...normalized.diagnostics);
      const unusable = normalized.diagnostics.some((diagnostic) => diagnostic.severity === "error");
      actions.set(id, { entry, payload, fields: unusable ? undefined : normalized.fields });
    }
    served.set(slug, { slug, entries: app.actions, actions });
  }
  return { apps: served, diagnostics };
}

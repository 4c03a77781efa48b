import { createHash } from "node:crypto";
import type { Model, ModelAction } from "../model/types.js";
import { compareCodeUnits } from "../util/stable-json.js";

/*
 * Tool names: what an LLM calls an action by, and the OpenAPI operationId. Rules (README, "Schemas for AI
 * tools and OpenAPI"):
 * - `<app>__<action>` from the slug and the action id, each NFKD-normalized, diacritics dropped, every run of
 *   characters outside `[A-Za-z0-9_-]` (and of `_`) turned into one `_`, `_` and `-` trimmed at both ends;
 *   an empty part becomes `app` / `action`; a name starting with a digit gets a leading `_`;
 * - longer than 64 characters: cut to 57 and `_` plus 6 hex characters of sha256(`<slug>/<id>`) appended;
 * - colliding names: the action whose slug and id already are the name keeps it, then code-unit order of
 *   slug and id; the others get the same id-derived suffix, so adding or removing an action never renames
 *   another.
 * Every name matches `^[A-Za-z_][A-Za-z0-9_-]{0,63}$`: OpenAI's and Anthropic's `^[a-zA-Z0-9_-]{1,64}$`, and a
 * valid OpenAPI component name.
 */

/** The longest tool name both OpenAI and Anthropic accept. */
export const MAX_TOOL_NAME = 64;
/** What every tool name matches. */
export const TOOL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** One `[A-Za-z0-9_-]` part of a tool name. */
function part(id: string, fallback: string): string {
  const ascii = id
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9-]+/g, "_")
    .replace(/^[-_]+|[-_]+$/g, "");
  return ascii === "" ? fallback : ascii;
}

/** The name with a suffix of `length` hex characters of the action's hash, within 64 characters. */
function suffixed(name: string, hash: string, length: number): string {
  return `${name.slice(0, MAX_TOOL_NAME - 1 - length)}_${hash.slice(0, length)}`;
}

/** The preferred tool name of an action, before collisions are resolved. */
export function baseToolName(slug: string, id: string): string {
  let name = `${part(slug, "app")}__${part(id, "action")}`;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return name.length <= MAX_TOOL_NAME ? name : suffixed(name, hashOf(slug, id), 6);
}

/**
 * The preferred MCP tool name of an action (design.md §7): `<slug>_<action_id>`, every character outside
 * `[A-Za-z0-9_.-]` turned into `_`; over 64 characters, cut and suffixed like the others.
 */
export function mcpToolName(slug: string, id: string): string {
  const name = `${slug}_${id}`.replace(/[^A-Za-z0-9_.-]/g, "_");
  return name.length <= MAX_TOOL_NAME ? name : suffixed(name, hashOf(slug, id), 6);
}

/** sha256 of `<slug>/<id>` in hex: 6 characters make the suffix, more only settle (astronomically unlikely) ties. */
function hashOf(slug: string, id: string): string {
  return createHash("sha256").update(`${slug}/${id}`).digest("hex");
}

/**
 * Unique tool names for every action of the model, across all apps; deterministic for a given model.
 * `base` is the naming rule (tool schemas' by default, or MCP's); `joiner` what it puts between slug and id.
 */
export function assignToolNames(model: Model, base = baseToolName, joiner = "__"): Map<ModelAction, string> {
  interface Entry {
    slug: string;
    action: ModelAction;
    base: string;
  }
  const entries: Entry[] = model.apps.flatMap((app) =>
    app.actions.map((action) => ({ slug: app.slug, action, base: base(app.slug, action.id) })),
  );
  const direct = (entry: Entry) => (entry.base === `${entry.slug}${joiner}${entry.action.id}` ? 0 : 1);
  entries.sort(
    (a, b) =>
      compareCodeUnits(a.base, b.base) ||
      direct(a) - direct(b) ||
      compareCodeUnits(a.slug, b.slug) ||
      compareCodeUnits(a.action.id, b.action.id),
  );
  // Bare names first, so that a suffixed name can never take a name another action holds bare.
  const bare = new Set(entries.map((entry) => entry.base));
  const used = new Set<string>();
  const names = new Map<ModelAction, string>();
  for (const entry of entries) {
    let name = entry.base;
    if (used.has(name)) {
      const hash = hashOf(entry.slug, entry.action.id);
      for (let length = 6; used.has(name) || bare.has(name); length += 2) name = suffixed(entry.base, hash, length);
    }
    used.add(name);
    names.set(entry.action, name);
  }
  return names;
}

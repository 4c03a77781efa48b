import { compareCodeUnits, contentHash, setOwn, stableStringify } from "../util/stable-json.js";
import type { LockApp, LockFile, PulledApp, RawActionEntry } from "./types.js";

/** Turns one app's pull into its lock entry: actions sorted by id, raw payloads kept, hash computed. */
export function lockApp(pulled: PulledApp): LockApp {
  const actions = uniqueById(pulled.actions).sort((a, b) => compareCodeUnits(a.action_id, b.action_id));
  const parameters: Record<string, unknown> = {};
  for (const id of Object.keys(pulled.parameters).sort(compareCodeUnits)) setOwn(parameters, id, pulled.parameters[id]);
  return { hash: contentHash({ actions, parameters }), actions, parameters };
}

/** Builds a lock from lock entries, keeping only the given apps, sorted by slug. */
export function buildLock(apps: Readonly<Record<string, LockApp>>): LockFile {
  const sorted: Record<string, LockApp> = {};
  for (const slug of Object.keys(apps).sort(compareCodeUnits)) {
    const app = apps[slug];
    if (app) setOwn(sorted, slug, app);
  }
  return { lockfileVersion: 1, apps: sorted };
}

/**
 * One entry per action id. Should a list repeat an id, the entry kept is chosen by content (the smallest
 * stable JSON), not by position, so the lock does not depend on the order the API listed them in.
 */
function uniqueById(entries: readonly RawActionEntry[]): RawActionEntry[] {
  const chosen = new Map<string, RawActionEntry>();
  for (const entry of entries) {
    const current = chosen.get(entry.action_id);
    if (current === undefined || stableStringify(entry) < stableStringify(current)) chosen.set(entry.action_id, entry);
  }
  return [...chosen.values()];
}

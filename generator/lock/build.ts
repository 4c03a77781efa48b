import { createHash } from "node:crypto";
import { compareCodeUnits, contentHash, isIndexLike, stableCopy, stableStringify } from "../util/stable-json.js";
import { setOwn } from "../util/records.js";
import { serializeLock } from "./write.js";
import type { LockApp, LockFile, PulledApp, RawActionEntry } from "./types.js";

/** Turns one app's pull into its lock entry: actions sorted by id, raw payloads kept, hash computed. */
export function lockApp(pulled: PulledApp): LockApp {
  const content = sortedContent(pulled);
  return { hash: contentHash(content), ...content };
}

/**
 * Builds the lock entries of a pull and then the lock file's bytes: the same entries as `lockApp` and the
 * same bytes as `serializeLock`, only faster, with one difference in memory: each entry holds a stable copy
 * of what the API answered (`stableCopy`), so the lock a run goes on with is the lock the next run reads
 * from the file, down to the order of every object's keys (which decides, for one, the order of fields
 * given as a `properties` map).
 *
 * The copies are also what makes it fast: their keys are already in order, so the engine's serializer
 * writes the stable JSON of each app for its hash, and of the whole lock for the file, several times faster
 * than `stableStringify`. For a large catalog that is most of what a pull does after its last answer.
 * Whatever the engine would not write exactly (an integer-like key, an entry kept from an older lock)
 * takes the slower path to the same bytes.
 */
export class LockRenderer {
  /** Entries built by `entry` whose copy the engine writes exactly. */
  private readonly exact = new WeakSet<LockApp>();

  /** The entry `lockApp(pulled)` gives, holding stable copies. */
  entry(pulled: PulledApp): LockApp {
    const { value: content, exact } = stableCopy(sortedContent(pulled));
    const hash = exact ? sha256(`${JSON.stringify(content, null, 2)}\n`) : contentHash(content);
    // Keys inserted in code-unit order, like every object of the copy.
    const entry = { actions: content.actions, hash, parameters: content.parameters };
    if (exact) this.exact.add(entry);
    return entry;
  }

  /**
   * `serializeLock(lock)`. Call it as soon as the lock is built: the fast path trusts that nothing changed
   * the entries since `entry` returned them.
   */
  serialize(lock: LockFile): string {
    const slugs = Object.keys(lock.apps);
    const fast =
      Object.keys(lock).sort().join() === "apps,lockfileVersion" &&
      slugs.every((slug, index) => index === 0 || compareCodeUnits(slugs[index - 1]!, slug) < 0) &&
      !slugs.some(isIndexLike) &&
      slugs.every((slug) => this.exact.has(lock.apps[slug]!));
    if (!fast) return serializeLock(lock);
    // The root's keys in code-unit order too, as the engine must meet them.
    return `${JSON.stringify({ apps: lock.apps, lockfileVersion: lock.lockfileVersion }, null, 2)}\n`;
  }
}

function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text).digest("hex")}`;
}

/** An app's content as the lock keeps it: actions sorted by id (one per id), parameters keyed in id order. */
function sortedContent(pulled: PulledApp): { actions: RawActionEntry[]; parameters: Record<string, unknown> } {
  const actions = uniqueById(pulled.actions).sort((a, b) => compareCodeUnits(a.action_id, b.action_id));
  const parameters: Record<string, unknown> = {};
  for (const id of Object.keys(pulled.parameters).sort(compareCodeUnits)) setOwn(parameters, id, pulled.parameters[id]);
  return { actions, parameters };
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

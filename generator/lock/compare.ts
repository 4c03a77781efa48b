import { compareCodeUnits, stableStringify } from "../util/stable-json.js";
import type { LockApp, LockFile } from "./types.js";

/** One difference between two locks, at app or action level. */
export interface LockChange {
  app: string;
  action?: string;
  change: "added" | "removed" | "changed";
}

/** What changed between two locks, app by app and action by action, in a stable order. */
export function compareLocks(before: LockFile | undefined, after: LockFile): LockChange[] {
  const changes: LockChange[] = [];
  const previous = before?.apps ?? {};
  const slugs = [...new Set([...Object.keys(previous), ...Object.keys(after.apps)])].sort(compareCodeUnits);
  for (const app of slugs) {
    const old = Object.hasOwn(previous, app) ? previous[app] : undefined;
    const now = Object.hasOwn(after.apps, app) ? after.apps[app] : undefined;
    if (old === undefined) changes.push({ app, change: "added" });
    else if (now === undefined) changes.push({ app, change: "removed" });
    else if (old.hash !== now.hash) changes.push(...compareActions(app, old, now));
  }
  return changes;
}

function compareActions(app: string, old: LockApp, now: LockApp): LockChange[] {
  const describe = (entry: LockApp) =>
    new Map(
      entry.actions.map((action) => [action.action_id, stableStringify([action, entry.parameters[action.action_id]])]),
    );
  const before = describe(old);
  const after = describe(now);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(compareCodeUnits);
  const changes: LockChange[] = [];
  for (const action of ids) {
    const a = before.get(action);
    const b = after.get(action);
    if (a === undefined) changes.push({ app, action, change: "added" });
    else if (b === undefined) changes.push({ app, action, change: "removed" });
    else if (a !== b) changes.push({ app, action, change: "changed" });
  }
  return changes;
}

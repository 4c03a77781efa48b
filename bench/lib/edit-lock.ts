import { readFile, writeFile } from "node:fs/promises";
import { lockApp } from "../../generator/lock/build.js";
import type { LockFile } from "../../generator/lock/types.js";
import { serializeLock } from "../../generator/lock/write.js";

/**
 * Changes one app's lock entry the way a connector update would (an action's description, a field's label),
 * its hash recomputed, leaving `marker` in both. A later marker replaces an earlier one.
 */
export async function editLock(path: string, slug: string, marker: string): Promise<void> {
  const lock = JSON.parse(await readFile(path, "utf8")) as LockFile;
  const app = lock.apps[slug];
  if (app === undefined) throw new Error(`lock has no app ${slug}`);
  const first = app.actions[0]!;
  first.description = `${String(first.description ?? "").replace(/ \(bench edit [^)]*\)$/, "")} ${marker}`;
  const payload = app.parameters[first.action_id];
  const list = Array.isArray(payload) ? payload : (payload as { parameters: unknown[] }).parameters;
  const field = list[0] as { label?: string };
  field.label = `${String(field.label ?? "").replace(/ \(bench edit [^)]*\)$/, "")} ${marker}`;
  lock.apps[slug] = lockApp({ actions: app.actions, parameters: app.parameters });
  await writeFile(path, serializeLock(lock));
}

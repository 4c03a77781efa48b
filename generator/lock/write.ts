import { stableStringify } from "../util/stable-json.js";
import { writeFileAtomic } from "../write/atomic-file.js";
import type { LockFile } from "./types.js";

/** The lock's exact bytes: sorted keys, two-space indentation, trailing newline. */
export function serializeLock(lock: LockFile): string {
  return stableStringify(lock);
}

/** Replaces the lock file atomically. */
export async function writeLock(path: string, lock: LockFile): Promise<void> {
  await writeLockText(path, serializeLock(lock));
}

/** Replaces the lock file atomically with text already serialized (`serializeLock`, `LockRenderer.serialize`). */
export async function writeLockText(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text);
}

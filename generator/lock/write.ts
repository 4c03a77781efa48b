import { stableStringify } from "../util/stable-json.js";
import type { LockFile } from "./types.js";

/** The lock's exact bytes: sorted keys, two-space indentation, trailing newline. */
export function serializeLock(lock: LockFile): string {
  return stableStringify(lock);
}

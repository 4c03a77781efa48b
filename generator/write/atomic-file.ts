import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The temporary file of an atomic write: hidden, beside its target, never mistaken for output. */
const TEMPORARY = /^\..+\.refold-[0-9a-f]{8}\.tmp$/;

/** True for the name of a temporary file of an atomic write (a crash can leave one behind). */
export function isTemporaryName(name: string): boolean {
  return TEMPORARY.test(name);
}

/**
 * Writes a file so that readers (and a crash) see either the old or the new content, never a torn one: the
 * content goes to a temporary file beside it, which is then renamed over it. Runs writing the same file at
 * once each rename a complete file of their own.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.refold-${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

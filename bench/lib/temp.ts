/** One temporary folder for the whole bench run, removed at the end (and on Ctrl-C). */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

let root: Promise<string> | undefined;
let rootPath: string | undefined;

export function tempRoot(): Promise<string> {
  root ??= mkdtemp(join(tmpdir(), "refold-bench-")).then((path) => (rootPath = path));
  return root;
}

/** A new empty folder under the run's temp root. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(await tempRoot(), `${prefix}-`));
}

/** Removes the run's temp root (synchronous, so it also works in exit handlers). */
export function removeTempRoot(): void {
  if (rootPath !== undefined) rmSync(rootPath, { recursive: true, force: true });
  rootPath = undefined;
  root = undefined;
}

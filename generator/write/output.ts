import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { CodegenError, ExitCode } from "../diagnostics.js";
import type { OutputFiles } from "../emit/files.js";
import { GENERATED_MARK } from "../emit/header.js";

/** How the output folder differs from the files a run would write. */
export interface OutputDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** Compares the output folder's files (see readOutput) with the files a run would write. */
export function diffOutput(existing: ReadonlyMap<string, string>, files: OutputFiles): OutputDiff {
  const diff: OutputDiff = { changed: [], added: [], removed: [] };
  for (const [path, content] of files) {
    const current = existing.get(path);
    if (current === undefined) diff.added.push(path);
    else if (current !== content) diff.changed.push(path);
  }
  for (const path of existing.keys()) if (!files.has(path)) diff.removed.push(path);
  return diff;
}

/** True when a diff has no difference at all. */
export function isClean(diff: OutputDiff): boolean {
  return diff.changed.length + diff.added.length + diff.removed.length === 0;
}

/**
 * Replaces the output folder with exactly `files`: written to a sibling folder, then swapped in by
 * rename, so a crash leaves the old or the new output, never a mix. Refuses to replace a folder that
 * holds files refold-codegen did not write.
 */
export async function writeOutput(
  dir: string,
  files: OutputFiles,
  existing?: ReadonlyMap<string, string>,
): Promise<OutputDiff> {
  const current = existing ?? (await readOutput(dir));
  const diff = diffOutput(current, files);
  if (isClean(diff)) return diff;
  assertOnlyGenerated(dir, current);
  const suffix = randomBytes(4).toString("hex");
  const staging = join(dirname(dir), `.${basename(dir)}.refold-new-${suffix}`);
  const previous = join(dirname(dir), `.${basename(dir)}.refold-old-${suffix}`);
  try {
    for (const [path, content] of files) {
      const target = join(staging, ...path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content, "utf8");
    }
    const hadOutput = await exists(dir);
    if (hadOutput) await rename(dir, previous);
    try {
      await rename(staging, dir);
    } catch (error) {
      if (hadOutput) await rename(previous, dir);
      throw error;
    }
    await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return diff;
}

function assertOnlyGenerated(dir: string, existing: ReadonlyMap<string, string>): void {
  const foreign: string[] = [];
  for (const [path, content] of existing) {
    if (!content.slice(0, 200).includes(GENERATED_MARK)) foreign.push(path);
  }
  if (foreign.length > 0) {
    const listed = foreign.slice(0, 10).join(", ") + (foreign.length > 10 ? `, and ${foreign.length - 10} more` : "");
    const message = `the output folder ${dir} holds files refold-codegen did not write (${listed}); it replaces the whole folder`;
    throw new CodegenError(message, ExitCode.usage, [
      {
        severity: "error",
        code: "foreign-output",
        message,
        hint: 'point "output" at a folder of its own, or move those files away',
      },
    ]);
  }
}

/**
 * Finishes what an interrupted run left (a crash between the two renames of writeOutput): when the output
 * folder is missing but its previous version is parked beside it, that version is put back; leftover
 * staging folders are removed. Afterwards the folder is the old or the new complete output.
 */
export async function recoverOutput(dir: string): Promise<void> {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.refold-`;
  let siblings: string[];
  try {
    siblings = (await readdir(parent)).filter((name) => name.startsWith(prefix)).sort();
  } catch {
    return;
  }
  const parked = siblings.find((name) => name.startsWith(`${prefix}old-`));
  if (parked !== undefined && !(await exists(dir))) await rename(join(parent, parked), dir);
  // Leftovers of a crashed run; a young one may belong to a run still going, so it is left alone.
  for (const name of siblings) {
    const path = join(parent, name);
    const age = await stat(path).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > STALE_AFTER_MS) await rm(path, { recursive: true, force: true });
  }
}

const STALE_AFTER_MS = 60_000;

/**
 * Every file below the output folder by forward-slash relative path (empty when the folder does not exist),
 * after recovering from an interrupted run.
 */
export async function readOutput(dir: string): Promise<Map<string, string>> {
  await recoverOutput(dir);
  const tree = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return tree;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    tree.set(relative(dir, full).split(sep).join("/"), await readFile(full, "utf8"));
  }
  return tree;
}

async function exists(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}

import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { CodegenError, ExitCode } from "../diagnostics.js";
import type { OutputFiles } from "../emit/files.js";
import { GENERATED_MARK } from "../emit/header.js";
import { Semaphore } from "../util/concurrency.js";

/** How the output folder differs from the files a run would write. */
export interface OutputDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** Compares the output folder's files (see readOutput) with the files a run would write. */
export function diffOutput(existing: ReadonlyMap<string, Buffer>, files: OutputFiles): OutputDiff {
  const diff: OutputDiff = { changed: [], added: [], removed: [] };
  for (const [path, content] of files) {
    const current = existing.get(path);
    if (current === undefined) diff.added.push(path);
    else if (!sameContent(current, content)) diff.changed.push(path);
  }
  for (const path of existing.keys()) if (!files.has(path)) diff.removed.push(path);
  return diff;
}

function sameContent(current: Buffer, content: string | Buffer): boolean {
  if (current === content) return true;
  return typeof content === "string"
    ? current.length === Buffer.byteLength(content) && current.equals(Buffer.from(content))
    : current.equals(content);
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
  existing?: ReadonlyMap<string, Buffer>,
): Promise<OutputDiff> {
  const current = existing ?? (await readOutput(dir));
  const diff = diffOutput(current, files);
  if (isClean(diff)) return diff;
  assertOnlyGenerated(dir, current);
  const suffix = randomBytes(4).toString("hex");
  const staging = join(dirname(dir), `.${basename(dir)}.refold-new-${suffix}`);
  const previous = join(dirname(dir), `.${basename(dir)}.refold-old-${suffix}`);
  try {
    const targets = [...files.keys()].map((path) => join(staging, ...path.split("/")));
    for (const folder of new Set(targets.map((target) => dirname(target)))) await mkdir(folder, { recursive: true });
    // Settled, not raced: on a failure no write may still be landing in staging while it is removed.
    const slots = new Semaphore(FILES_IN_FLIGHT);
    const writes = await Promise.allSettled(
      [...files].map(([path, content], index) =>
        slots.run(async () => {
          const target = targets[index] as string;
          // A file kept as read from the output folder is linked rather than written again.
          if (content !== current.get(path) || !(await linked(join(dir, ...path.split("/")), target)))
            await writeFile(target, content);
        }),
      ),
    );
    for (const write of writes) if (write.status === "rejected") throw write.reason;
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

/** File reads or writes in flight at once: enough to keep the disk busy, far below any open-file limit. */
const FILES_IN_FLIGHT = 16;

/** Hard-links a file; false when the file system refuses (the caller then writes it). */
async function linked(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch {
    return false;
  }
}

function assertOnlyGenerated(dir: string, existing: ReadonlyMap<string, Buffer>): void {
  const foreign: string[] = [];
  for (const [path, content] of existing) {
    if (!content.toString("utf8", 0, 200).includes(GENERATED_MARK)) foreign.push(path);
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
    // Staging and parked folders only: the output's lock file (write/output-lock.ts) has the same prefix.
    const leftover = (name: string) => name.startsWith(`${prefix}new-`) || name.startsWith(`${prefix}old-`);
    siblings = (await readdir(parent)).filter(leftover).sort();
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
 * as bytes, after recovering from an interrupted run.
 */
export async function readOutput(dir: string): Promise<Map<string, Buffer>> {
  await recoverOutput(dir);
  let paths;
  try {
    paths = listOutput(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  const slots = new Semaphore(FILES_IN_FLIGHT);
  const contents = await Promise.all(paths.map((path) => slots.run(() => readFile(join(dir, ...path.split("/"))))));
  return new Map(paths.map((path, index) => [path, contents[index] as Buffer]));
}

/**
 * Every file below the output folder by forward-slash relative path; fails when the folder cannot be read.
 * Synchronous: one listing costs less than a trip through the thread pool.
 */
export function listOutput(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

async function exists(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}

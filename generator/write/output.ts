import { readdirSync } from "node:fs";
import { mkdir, readFile, rmdir, stat, unlink } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { OutputFiles } from "../emit/files.js";
import { GENERATED_MARK } from "../emit/header.js";
import { Semaphore } from "../util/concurrency.js";
import { codegenError } from "../util/diagnostics.js";
import { isTemporaryName, writeFileAtomic } from "./atomic-file.js";

/*
 * The only stage that touches the output folder. It writes the files whose bytes changed, each atomically,
 * deletes the files it generated earlier that a run no longer produces, and leaves everything else alone:
 * an unchanged file keeps its bytes and its mtime, and a file without the generated mark is never touched.
 * Runs over the same inputs write the same bytes, so concurrent runs need no lock: each rename is atomic.
 */

/** How the output folder differs from the files a run produces. */
export interface OutputDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** What the output folder holds, by forward-slash path relative to it. */
interface OutputState {
  /** Files carrying the generated mark, with their bytes. */
  generated: Map<string, Buffer>;
  /** Files without it: someone else's. */
  foreign: Set<string>;
  /** Temporary files of atomic writes (our own, or a crashed run's). */
  temporary: string[];
}

/** File reads or writes in flight at once: enough to keep the disk busy, far below any open-file limit. */
const FILES_IN_FLIGHT = 16;
/** A temporary file older than this was left by a run that died: the next write removes it. */
const STALE_TEMPORARY_MS = 60_000;

/** Compares the output folder with `files`, reading only; for `--check`. Refuses if a foreign file is in the way. */
export async function checkOutput(dir: string, files: OutputFiles): Promise<OutputDiff> {
  const state = await readOutput(dir);
  refuseForeign(dir, state, files);
  return diffOutput(state, files);
}

/**
 * Makes the output folder hold `files`: writes those whose bytes differ, deletes generated files no longer
 * produced (and folders they leave empty). Nothing is written when a file the run would replace is not one
 * refold-codegen generated.
 */
export async function writeOutput(dir: string, files: OutputFiles): Promise<OutputDiff> {
  const state = await readOutput(dir);
  refuseForeign(dir, state, files);
  const diff = diffOutput(state, files);
  const slots = new Semaphore(FILES_IN_FLIGHT);
  const writes = [...diff.changed, ...diff.added];
  for (const folder of new Set(writes.map((path) => dirname(join(dir, path)))))
    await mkdir(folder, { recursive: true });
  await Promise.all(writes.map((path) => slots.run(() => writeFileAtomic(join(dir, path), files.get(path) ?? ""))));
  await Promise.all(diff.removed.map((path) => slots.run(() => ignoreMissing(unlink(join(dir, path))))));
  await pruneEmptyFolders(dir, diff.removed);
  await removeStaleTemporaries(dir, state.temporary);
  return diff;
}

function diffOutput(state: OutputState, files: OutputFiles): OutputDiff {
  const diff: OutputDiff = { changed: [], added: [], removed: [] };
  for (const [path, content] of files) {
    const current = state.generated.get(path);
    if (current === undefined) diff.added.push(path);
    else if (current.length !== Buffer.byteLength(content) || !current.equals(Buffer.from(content)))
      diff.changed.push(path);
  }
  for (const path of state.generated.keys()) if (!files.has(path)) diff.removed.push(path);
  // The folder's listing order is the file system's; the report's is stable.
  diff.removed.sort();
  return diff;
}

function refuseForeign(dir: string, state: OutputState, files: OutputFiles): void {
  const inTheWay = [...files.keys()].filter((path) => state.foreign.has(path));
  if (inTheWay.length === 0) return;
  const listed = inTheWay.slice(0, 10).join(", ") + (inTheWay.length > 10 ? `, and ${inTheWay.length - 10} more` : "");
  const message = `the output folder ${dir} holds files refold-codegen did not write where it would write its own (${listed})`;
  throw codegenError(message, "foreign-output", 'point "output" at a folder of its own, or move those files away');
}

/** Every file below the output folder (none when it does not exist), sorted into generated, foreign, temporary. */
async function readOutput(dir: string): Promise<OutputState> {
  const state: OutputState = { generated: new Map(), foreign: new Set(), temporary: [] };
  let entries;
  try {
    // Synchronous: one listing costs less than a trip through the thread pool.
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return state;
    throw error;
  }
  const paths: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/");
    if (isTemporaryName(entry.name)) state.temporary.push(path);
    else paths.push(path);
  }
  const slots = new Semaphore(FILES_IN_FLIGHT);
  const contents = await Promise.all(paths.map((path) => slots.run(() => readFile(join(dir, path)))));
  paths.forEach((path, index) => {
    const content = contents[index] as Buffer;
    if (content.toString("utf8", 0, 200).includes(GENERATED_MARK)) state.generated.set(path, content);
    else state.foreign.add(path);
  });
  return state;
}

/** Removes the folders (below `dir`) that deleting `removed` left empty; a folder still holding anything stays. */
async function pruneEmptyFolders(dir: string, removed: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const path of removed)
    for (let folder = dirname(path); folder !== "."; folder = dirname(folder)) folders.add(folder);
  // Deepest first, so a parent is tried after its children.
  for (const folder of [...folders].sort((a, b) => b.split("/").length - a.split("/").length)) {
    await rmdir(join(dir, folder)).catch(() => undefined);
  }
}

async function removeStaleTemporaries(dir: string, temporary: readonly string[]): Promise<void> {
  for (const path of temporary) {
    const file = join(dir, path);
    const age = await stat(file).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > STALE_TEMPORARY_MS) await ignoreMissing(unlink(file));
  }
}

/** Another run deleting the same stale file first is no failure. */
async function ignoreMissing(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

import { readFile } from "node:fs/promises";
import { codegenError, type CodegenError } from "../util/diagnostics.js";
import { compareCodeUnits, stableStringify } from "../util/stable-json.js";
import { writeFileAtomic } from "../write/atomic-file.js";
import { boundShape, type Shape } from "./shape.js";
import { isRecord, setOwn } from "../util/records.js";

/*
 * refold.results.json: per app and action, the shape of the action's result (`data`), learned by `record`
 * from samples (their count kept) or declared. Sorted keys, two-space indentation, a trailing newline: the
 * same shapes give the same bytes. Committed, like the lock; it holds shapes only, never a value.
 */

/** One action's recorded result shape. */
export interface ResultEntry {
  /** How many samples were merged into `schema`; 0 for a declared schema. */
  samples: number;
  /** True when the schema was declared (`record --schema`) rather than learned. */
  declared?: true;
  schema: Shape;
}

/** The results file. */
export interface ResultsFile {
  resultsVersion: 1;
  /** By app slug, then action id. */
  apps: Record<string, Record<string, ResultEntry>>;
}

export const EMPTY_RESULTS: ResultsFile = { resultsVersion: 1, apps: {} };

/**
 * Reads the results file; empty when there is none. A damaged file is a usage error naming the fix. Every
 * shape comes back within the limits `record` keeps (see `boundShape`): a hand-made or older file nested
 * deeper, or with wider records, is read as `record` would have written it.
 */
export async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_RESULTS;
    throw resultsError(path, `cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw resultsError(path, `is not valid JSON (${(error as Error).message})`);
  }
  return checkResults(parsed, path);
}

function checkResults(parsed: unknown, path: string): ResultsFile {
  const record = parsed as Partial<ResultsFile> | null;
  if (typeof record !== "object" || record === null || record.resultsVersion !== 1)
    throw resultsError(path, "is not a results file of version 1");
  if (!isRecord(record.apps)) throw resultsError(path, 'has no "apps" object');
  for (const [slug, actions] of Object.entries(record.apps)) {
    if (!isRecord(actions)) throw resultsError(path, `has a malformed entry for app "${slug}"`);
    for (const [id, entry] of Object.entries(actions)) {
      if (!isRecord(entry) || typeof entry["samples"] !== "number" || !isRecord(entry["schema"]))
        throw resultsError(path, `has a malformed entry for ${slug} action "${id}"`);
      entry["schema"] = boundShape(entry["schema"]);
    }
  }
  return record as ResultsFile;
}

/** The file's exact bytes. */
export function serializeResults(results: ResultsFile): string {
  return stableStringify(results);
}

/** Replaces the results file atomically. */
export async function writeResults(path: string, results: ResultsFile): Promise<void> {
  await writeFileAtomic(path, serializeResults(results));
}

/** The results with one action's entry set (apps and actions in code-unit order, as the file holds them). */
export function withEntry(results: ResultsFile, slug: string, action: string, entry: ResultEntry): ResultsFile {
  const apps = { ...results.apps };
  const actions = { ...(Object.hasOwn(apps, slug) ? apps[slug] : {}) };
  setOwn(actions, action, entry);
  setOwn(apps, slug, sorted(actions));
  return { resultsVersion: 1, apps: sorted(apps) };
}

/** The entry of one action, if recorded. */
export function entryOf(results: ResultsFile, slug: string, action: string): ResultEntry | undefined {
  const actions = Object.hasOwn(results.apps, slug) ? results.apps[slug] : undefined;
  return actions !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareCodeUnits)) setOwn(out, key, record[key]);
  return out;
}

function resultsError(path: string, problem: string): CodegenError {
  return codegenError(
    `the results file ${path} ${problem}`,
    "results-file",
    "restore it from version control, or record the shapes again with `refold-codegen record`",
  );
}

import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { CommonOptions } from "../config/options.js";
import { appendSection, formatChangelog } from "../diff/format.js";
import type { DiffResult } from "../diff/types.js";
import { codegenError } from "../util/diagnostics.js";
import { writeFileAtomic } from "../write/atomic-file.js";

// The changelog file of `--changelog`: read before a run, appended after it. Here, not in diff/, which only
// computes (the classified changes and their text).

/** A changelog to append to: its path and its text before this run. */
export interface Changelog {
  path: string;
  existing: string;
}

/** Reads the changelog asked for (missing is fine), before the run writes anything, so a bad path fails early. */
export async function openChangelog(options: CommonOptions & { changelog?: string }): Promise<Changelog | undefined> {
  if (options.changelog === undefined) return undefined;
  const path = resolve(options.cwd ?? process.cwd(), options.changelog);
  try {
    return { path, existing: await readFile(path, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path, existing: "" };
    const message = `the changelog ${path} cannot be read: ${(error as Error).message}`;
    throw codegenError(message, "changelog");
  }
}

/** Appends the changes to the changelog when something changed; returns its path then. */
export async function writeChangelog(
  changelog: Changelog | undefined,
  lockfilePath: string,
  changes: DiffResult,
): Promise<string | undefined> {
  if (changelog === undefined || changes.changes.length === 0) return undefined;
  const section = formatChangelog(changes, `${basename(lockfilePath)} update`);
  await writeFileAtomic(changelog.path, appendSection(changelog.existing, section));
  return changelog.path;
}

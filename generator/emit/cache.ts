import { createHash } from "node:crypto";
import type { ModelApp } from "../model/types.js";
import { generatorFingerprint } from "../paths.js";

/*
 * Incremental generation. An app module ends with a comment line holding the key of everything its content
 * derives from (its model and the generator) and a hash of the content above it. A later run reuses the file
 * as it is when both still match: no emitting, no formatting. A hand-edited file fails the hash and is
 * written again, so incremental output is always byte-identical to a cold run.
 */

const PREFIX = "// refold-codegen-key: ";

/**
 * The key of an app module's content. The module is a function of the generator's code, the app's lock
 * entry (its hash) and the names and kinds chosen for it, so those are what the key covers: hashing
 * the whole model would cost more than emitting it.
 */
export function appCacheKey(app: ModelApp): string {
  const names = app.actions.map((action) => [action.id, action.method, action.paramsType, action.kind]);
  const { slug, property, file, typePrefix, clientType, factory, actionsConst, hash } = app;
  const inputs = [
    generatorFingerprint(),
    hash,
    slug,
    property,
    file,
    typePrefix,
    clientType,
    factory,
    actionsConst,
    names,
  ];
  return `sha256-${createHash("sha256").update(JSON.stringify(inputs)).digest("hex")}`;
}

/** Appends the key line to a finished (formatted) module. */
export function seal(source: string, key: string): string {
  return `${source}${PREFIX}${key} ${bodyHash(source)}\n`;
}

/** The existing file, when it was sealed with this key and is unchanged since. */
export function reusable(existing: string | undefined, key: string): string | undefined {
  if (existing === undefined || !existing.endsWith("\n")) return undefined;
  const start = existing.lastIndexOf("\n", existing.length - 2) + 1;
  const last = existing.slice(start, -1);
  if (!last.startsWith(`${PREFIX}${key} `)) return undefined;
  const body = existing.slice(0, start);
  return last.slice(PREFIX.length + key.length + 1) === bodyHash(body) ? existing : undefined;
}

function bodyHash(source: string): string {
  return createHash("sha256").update(source).digest("hex").slice(0, 16);
}

/*
 * The whole output's stamp, the last line of index.ts: the key of every input of the run (generator,
 * config, lock bytes) and a hash of every output file. A run whose inputs have the stamp's key, over an
 * output whose files still hash to it, has nothing to do: it needs neither the model nor the lock parsed.
 */

const STAMP_PREFIX = "// refold-codegen-stamp: ";
const STAMPED_FILE = "index.ts";

/** The key of a run's inputs: the generator, what of the config shapes the output, and the lock's bytes. */
export function runKey(outputConfig: unknown, lockBytes: Uint8Array): string {
  return createHash("sha256")
    .update(generatorFingerprint())
    .update(JSON.stringify(outputConfig))
    .update(lockBytes)
    .digest("hex");
}

/** Appends the stamp to index.ts, covering every file of the output. */
export function stampOutput(files: Map<string, string>, key: string): void {
  const index = files.get(STAMPED_FILE);
  if (index === undefined) return;
  files.set(STAMPED_FILE, `${index}${STAMP_PREFIX}${key} ${treeHash(files, index)}\n`);
}

/** True when the output on disk was written from inputs with this key and no file changed since. */
export function isStamped(current: ReadonlyMap<string, string>, key: string): boolean {
  const index = current.get(STAMPED_FILE);
  if (index === undefined || !index.endsWith("\n")) return false;
  const start = index.lastIndexOf("\n", index.length - 2) + 1;
  const last = index.slice(start, -1);
  if (!last.startsWith(`${STAMP_PREFIX}${key} `)) return false;
  return last.slice(STAMP_PREFIX.length + key.length + 1) === treeHash(current, index.slice(0, start));
}

/** A hash of every file (path and content), index.ts taken without its stamp line. */
function treeHash(files: ReadonlyMap<string, string>, unstampedIndex: string): string {
  const hash = createHash("sha256");
  for (const path of [...files.keys()].sort()) {
    hash
      .update(path)
      .update("\0")
      .update(path === STAMPED_FILE ? unstampedIndex : (files.get(path) ?? ""))
      .update("\0");
  }
  return hash.digest("hex").slice(0, 32);
}

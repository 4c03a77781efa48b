import { createHash, type Hash } from "node:crypto";
import type { AppPlan } from "../model/build.js";
import type { OutputFiles } from "./files.js";
import { generatorFingerprint } from "../paths.js";

/*
 * Incremental generation. An app module ends with a comment line holding the key of everything its content
 * derives from (the generator, the app's config and names, and its lock entry's digest) and a hash of the
 * content above it. A later run keeps the file as it is when both still match: its lock entry is neither
 * parsed nor modelled, and the module neither emitted nor formatted. A hand-edited file fails the hash and
 * is written again, so incremental output is always byte-identical to a cold run.
 */

const PREFIX = "// refold-codegen-key: ";

/**
 * The key of an app module's content: everything it derives from, known before any lock entry is parsed:
 * the generator's code, the app's names and config, and the digests of its lock entry and of the entries
 * its type names depend on (see nameDependencies in model/build.ts).
 */
export function appCacheKey(app: AppPlan, dependencies: readonly AppPlan[], digest: (slug: string) => string): string {
  const inputs = [generatorFingerprint(), appInputs(app, digest), dependencies.map((dep) => appInputs(dep, digest))];
  return `sha256-${createHash("sha256").update(JSON.stringify(inputs)).digest("hex")}`;
}

function appInputs(app: AppPlan, digest: (slug: string) => string): unknown[] {
  const { config, ...names } = app;
  return [names, config, digest(app.slug)];
}

/**
 * Appends the key line to a finished (formatted) module. The result is the module's bytes, encoded once
 * here: hashing it for the stamp and writing it then cost no further encoding.
 */
export function seal(source: string, key: string): Buffer {
  const body = Buffer.from(source);
  return Buffer.concat([body, Buffer.from(`${PREFIX}${key} ${bodyHash(body)}\n`)]);
}

/** True when the existing file was sealed with this key and is unchanged since. */
export function isReusable(existing: Buffer | undefined, key: string): existing is Buffer {
  if (existing === undefined) return false;
  const last = lastLine(existing);
  if (last === undefined || !last.text.startsWith(`${PREFIX}${key} `)) return false;
  return last.text.slice(PREFIX.length + key.length + 1) === bodyHash(existing.subarray(0, last.start));
}

/** The file's last line (without its newline) and where it starts; undefined unless the file ends with a newline. */
function lastLine(bytes: Buffer): { text: string; start: number } | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] !== NEWLINE) return undefined;
  const start = bytes.lastIndexOf(NEWLINE, bytes.length - 2) + 1;
  return { text: bytes.toString("utf8", start, bytes.length - 1), start };
}

const NEWLINE = 0x0a;

function bodyHash(source: Buffer): string {
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
  return runKeyHash(outputConfig).update(lockBytes).digest("hex");
}

/** The hash of runKey, before the lock's bytes, to feed them as they are read: `digest("hex")` is the key. */
export function runKeyHash(outputConfig: unknown): Hash {
  return createHash("sha256").update(generatorFingerprint()).update(JSON.stringify(outputConfig));
}

/** Appends the stamp to index.ts, covering every file of the output. */
export function stampOutput(files: OutputFiles, key: string): void {
  const index = files.get(STAMPED_FILE);
  if (typeof index !== "string") return;
  files.set(STAMPED_FILE, `${index}${STAMP_PREFIX}${key} ${treeHash(files, index)}\n`);
}

/** True when the output on disk was written from inputs with this key and no file changed since. */
export function isStamped(current: ReadonlyMap<string, Buffer>, key: string): boolean {
  const index = current.get(STAMPED_FILE);
  const last = index === undefined ? undefined : lastLine(index);
  if (index === undefined || last === undefined || !last.text.startsWith(`${STAMP_PREFIX}${key} `)) return false;
  return last.text.slice(STAMP_PREFIX.length + key.length + 1) === treeHash(current, index.subarray(0, last.start));
}

/** A hash of every file (path and content), index.ts taken without its stamp line. */
function treeHash(files: ReadonlyMap<string, string | Buffer>, unstampedIndex: string | Buffer): string {
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

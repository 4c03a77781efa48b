import { createHash } from "node:crypto";
import { stableStringifyAt } from "../util/stable-json.js";
import { isLockApp, lockError, parseLock } from "./read.js";
import type { LockApp, LockFile } from "./types.js";

/*
 * The lock read app by app. Generation after a connector update should not pay for parsing thirty apps
 * to regenerate one, so a view gives each app entry's digest (a hash of its text) without parsing it, and
 * parses an entry only when asked. The lock as this tool writes it (stable JSON, see lock/write.ts) is cut
 * into entries by its fixed layout; any other layout is parsed whole and each entry's digest taken over
 * its stable JSON, which is the same text the layout would have held, so digests agree either way.
 */

/** The lock, app by app. */
export interface LockView {
  /** True when the lock has an entry for the app. */
  has(slug: string): boolean;
  /** `sha256` hex of the app entry's text in the lock's layout: equal digests mean equal entries. */
  digest(slug: string): string;
  /** The app's entry, parsed and checked; throws a usage error when it is malformed. */
  entry(slug: string): LockApp;
  /** The whole lock, parsed and checked. */
  lock(): LockFile;
}

/** An app entry's indentation in the lock's layout. */
const ENTRY_INDENT = "    ";

/**
 * An entry cut from the bytes is not one JSON value: the file only looks like the layout this tool writes
 * (or is damaged). Whoever holds the view starts again from `viewLock(parseLock(...))`, which parses the
 * whole file and reports a damaged one; see withLockView.
 */
export class LockLayoutError extends Error {
  constructor(path: string) {
    super(`the lock file ${path} cannot be read app by app`);
  }
}

/**
 * Runs `use` over a view of the lock's bytes and, should an entry turn out to be cut wrongly, again over
 * the whole parsed lock, so digests and decisions all come from one consistent view. `use` must not write
 * anything before it has read every entry it needs.
 */
export async function withLockView<T>(
  bytes: Buffer | undefined,
  path: string,
  use: (view: LockView | undefined) => Promise<T>,
): Promise<T> {
  if (bytes === undefined) return use(undefined);
  try {
    return await use(viewLockBytes(bytes, path));
  } catch (error) {
    if (!(error instanceof LockLayoutError)) throw error;
    return use(viewLock(parseLock(bytes, path)));
  }
}

/** A view over the lock file's bytes. */
export function viewLockBytes(bytes: Buffer, path: string): LockView {
  const slices = sliceEntries(bytes);
  if (slices === undefined) return viewLock(parseLock(bytes, path));
  const digests = new Map<string, string>();
  const entries = new Map<string, LockApp>();
  const sliceOf = (slug: string) => {
    const slice = slices.get(slug);
    if (slice === undefined) throw new Error(`refold-codegen: the lock has no app ${slug}`);
    return bytes.subarray(slice[0], slice[1]);
  };
  let whole: LockFile | undefined;
  return {
    has: (slug) => slices.has(slug),
    digest(slug) {
      let digest = digests.get(slug);
      if (digest === undefined) {
        digest = createHash("sha256").update(sliceOf(slug)).digest("hex");
        digests.set(slug, digest);
      }
      return digest;
    },
    entry(slug) {
      let entry = entries.get(slug);
      if (entry === undefined) {
        // A slice that parses on its own is one complete JSON value, so it ends where a parser of the
        // whole file would end this entry too: the cut cannot disagree with JSON.parse.
        let parsed: unknown;
        try {
          parsed = JSON.parse(sliceOf(slug).toString("utf8"));
        } catch {
          throw new LockLayoutError(path);
        }
        if (!isLockApp(parsed)) throw lockError(path, `has a malformed entry for app "${slug}"`);
        entry = parsed;
        entries.set(slug, entry);
      }
      return entry;
    },
    lock() {
      whole ??= parseLock(bytes, path);
      return whole;
    },
  };
}

/** A view over a lock already in memory (a fresh pull, or a lock file in another layout). */
export function viewLock(lock: LockFile): LockView {
  const digests = new Map<string, string>();
  const entryOf = (slug: string): LockApp => {
    const entry = Object.hasOwn(lock.apps, slug) ? lock.apps[slug] : undefined;
    if (entry === undefined) throw new Error(`refold-codegen: the lock has no app ${slug}`);
    return entry;
  };
  return {
    has: (slug) => Object.hasOwn(lock.apps, slug),
    digest(slug) {
      let digest = digests.get(slug);
      if (digest === undefined) {
        const text = stableStringifyAt(entryOf(slug), ENTRY_INDENT);
        digest = createHash("sha256").update(text).digest("hex");
        digests.set(slug, digest);
      }
      return digest;
    },
    entry: entryOf,
    lock: () => lock,
  };
}

const HEAD = Buffer.from('{\n  "apps": {\n');
const TAIL = Buffer.from('\n  },\n  "lockfileVersion": 1\n}\n');
const ENTRY_START = Buffer.from(`${ENTRY_INDENT}"`);
const ENTRY_END = Buffer.from(`\n${ENTRY_INDENT}}`);
const SEPARATOR = Buffer.from(",\n");
const KEY_LINE_END = '": {';

/**
 * Each app entry's byte range, when the bytes have the layout lock/write.ts gives them: `{`, the apps
 * object, one `    "<slug>": {` line per app whose entry ends at the first line that is exactly four spaces
 * and `}` (deeper lines are indented further, and JSON strings hold no raw newlines), then the version.
 * Undefined for anything else, including a repeated slug (JSON.parse would keep the last one).
 */
function sliceEntries(bytes: Buffer): Map<string, [number, number]> | undefined {
  if (!startsWith(bytes, HEAD, 0) || !startsWith(bytes, TAIL, bytes.length - TAIL.length)) return undefined;
  const end = bytes.length - TAIL.length;
  const slices = new Map<string, [number, number]>();
  let position = HEAD.length;
  for (;;) {
    if (!startsWith(bytes, ENTRY_START, position)) return undefined;
    const lineEnd = bytes.indexOf(0x0a, position);
    if (lineEnd < 0) return undefined;
    const line = bytes.toString("utf8", position + ENTRY_INDENT.length, lineEnd);
    if (!line.endsWith(KEY_LINE_END)) return undefined;
    const slug = parseKey(line.slice(0, -KEY_LINE_END.length + 1));
    if (slug === undefined || slices.has(slug)) return undefined;
    const close = bytes.indexOf(ENTRY_END, lineEnd);
    if (close < 0 || close >= end) return undefined;
    const valueEnd = close + ENTRY_END.length;
    slices.set(slug, [lineEnd - 1, valueEnd]);
    if (valueEnd === end) return slices;
    if (!startsWith(bytes, SEPARATOR, valueEnd)) return undefined;
    position = valueEnd + SEPARATOR.length;
  }
}

function parseKey(json: string): string | undefined {
  try {
    const key: unknown = JSON.parse(json);
    return typeof key === "string" ? key : undefined;
  } catch {
    return undefined;
  }
}

function startsWith(bytes: Buffer, prefix: Buffer, at: number): boolean {
  return (
    at >= 0 &&
    bytes.length - at >= prefix.length &&
    bytes.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0
  );
}

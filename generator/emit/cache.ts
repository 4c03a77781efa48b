import { createHash } from "node:crypto";
import type { ModelApp } from "../model/types.js";
import { generatorFingerprint } from "../paths.js";
import { contentHash } from "../util/stable-json.js";

/*
 * Incremental generation. An app module ends with a comment line holding the key of everything its content
 * derives from (its model and the generator) and a hash of the content above it. A later run reuses the file
 * as it is when both still match: no emitting, no formatting. A hand-edited file fails the hash and is
 * written again, so incremental output is always byte-identical to a cold run.
 */

const PREFIX = "// refold-codegen-key: ";

/** The key of an app module's content: its whole model (every name and type it prints) and the generator. */
export function appCacheKey(app: ModelApp): string {
  return contentHash({ generator: generatorFingerprint(), app });
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

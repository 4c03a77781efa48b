import { readFile } from "node:fs/promises";
import { codegenError, type CodegenError } from "../util/diagnostics.js";
import type { LockApp, LockFile } from "./types.js";
import { isRecord } from "../util/records.js";

/** Reads the lock file; `undefined` when there is none yet. A damaged lock is a usage error with the fix. */
export async function readLock(path: string): Promise<LockFile | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw lockError(path, `cannot be read: ${(error as Error).message}`);
  }
  return parseLock(bytes, path);
}

/** Parses and checks a lock file's bytes. */
export function parseLock(bytes: Buffer, path: string): LockFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw lockError(path, `is not valid JSON (${(error as Error).message})`);
  }
  return checkLock(parsed, path);
}

/** Checks the lock's shape so later stages can trust it. */
export function checkLock(parsed: unknown, path: string): LockFile {
  if (!isRecord(parsed)) throw lockError(path, "is not a JSON object");
  if (parsed["lockfileVersion"] !== 1) {
    throw lockError(path, `has lockfileVersion ${JSON.stringify(parsed["lockfileVersion"])}; this version reads 1`);
  }
  const apps = parsed["apps"];
  if (!isRecord(apps)) throw lockError(path, 'has no "apps" object');
  for (const [slug, app] of Object.entries(apps)) {
    if (!isLockApp(app)) throw lockError(path, `has a malformed entry for app "${slug}"`);
  }
  return parsed as unknown as LockFile;
}

function isLockApp(value: unknown): value is LockApp {
  return (
    isRecord(value) &&
    typeof value["hash"] === "string" &&
    Array.isArray(value["actions"]) &&
    value["actions"].every((entry) => isRecord(entry) && typeof entry["action_id"] === "string") &&
    isRecord(value["parameters"])
  );
}

export function lockError(path: string, problem: string): CodegenError {
  return codegenError(
    `the lock file ${path} ${problem}`,
    "lockfile",
    "restore it from version control, or run `refold-codegen generate --refresh` to pull it again",
  );
}

import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats } from "node:fs";
import { dirname, join } from "node:path";
import type { ResolvedConfig } from "../config/types.js";
import { isWithin } from "../paths.js";
import { listOutput } from "../write/output.js";
import { cacheFolder, type CacheEnv } from "./folder.js";

/*
 * The no-op run without reading. A run that proves the output fresh (generate.ts: the stamp holds the
 * inputs' key and every file hashes to it) records, in the cache folder, the inputs' key and the metadata of
 * the lock and of every output file as they were before it read them. A later run with the same key whose
 * files all still have that metadata has nothing to do, and reads none of their bytes.
 *
 * Metadata stands for content only where no write can have left it unchanged. As git does with racily
 * clean entries, a file is recorded only when its status-change time (ctime: set by the system on every
 * write, rename or link; on Linux and macOS no call sets it) is older than a fence, a file the verifying run creates in the
 * cache folder, on the same file system, before it looks at any file. A write after the fence gives a file a
 * ctime no older than the fence's, which no record holds. Files on another file system than the cache
 * folder, or changed around the fence, are not recorded; the next run reads them again. `generate --check`
 * never looks at the record.
 *
 * The calls here are synchronous: a few dozen metadata calls cost less than handing each to the thread pool.
 */

/** A file's identity and metadata, `dev:ino:size:mtime:ctime` (nanoseconds), compared as a whole. */
type FileState = string;

interface VerificationRecord {
  inputs: string;
  lock: FileState;
  /** Output files by relative path, in the order of the verified run's result. */
  output: [string, FileState][];
}

/** The lock's and the output's metadata as a run found them, after a fence, before reading anything. */
export interface Observation {
  /** The fence's file system and ctime: only metadata older than this may be recorded. */
  fence: { dev: bigint; ctimeNs: bigint } | undefined;
  lock: BigIntStats | undefined;
  output: Map<string, BigIntStats> | undefined;
}

/** The cache's record of one project's output; see above. */
export class VerifiedOutput {
  private constructor(
    private readonly folder: string,
    private readonly recordPath: string,
    private readonly config: Pick<ResolvedConfig, "lockfilePath" | "outputDir">,
  ) {}

  /**
   * The record's place for this project; undefined when the cache is turned off (REFOLD_CODEGEN_CACHE_DIR=off)
   * or would write into the output folder, where its files would be foreign output that blocks every write.
   */
  static of(config: ResolvedConfig, env: CacheEnv): VerifiedOutput | undefined {
    const folder = cacheFolder(config.rootDir, env);
    const { lockfilePath, outputDir } = config;
    // An output folder at or above the records' folder would hold the records (at or above `folder`, the fences).
    if (folder === undefined || isWithin(outputDir, join(folder, "verified"))) return undefined;
    const name = createHash("sha256").update(`${outputDir}\0${lockfilePath}`).digest("hex").slice(0, 32);
    return new VerifiedOutput(folder, join(folder, "verified", `${name}.json`), { lockfilePath, outputDir });
  }

  /**
   * The output files (relative paths) when a run with these inputs verified exactly these files, with the
   * metadata they still have, over a lock with the metadata it still has; else undefined.
   */
  unchangedFiles(inputs: string): string[] | undefined {
    const record = this.read();
    if (record?.inputs !== inputs) return undefined;
    const { lock, output } = this.states();
    if (lock === undefined || output === undefined || record.lock !== format(lock)) return undefined;
    // Each entry vouches for one file, once: a damaged record naming a file twice leaves another unchecked.
    for (const [path, state] of record.output) {
      const now = output.get(path);
      if (now === undefined || format(now) !== state) return undefined;
      output.delete(path);
    }
    return output.size === 0 ? record.output.map(([path]) => path) : undefined;
  }

  /** Sets the fence, then takes the metadata of the lock and of every output file: call before reading them. */
  observe(): Observation {
    return { fence: this.fence(), ...this.states() };
  }

  /**
   * Records that the output files `verified`, read after `seen`, were proved fresh for `inputs`, when none of
   * them nor the lock had changed around the fence. Best effort: the cache never fails a run.
   */
  remember(inputs: string, seen: Observation, verified: readonly string[]): void {
    const { fence, lock, output } = seen;
    if (fence === undefined || lock === undefined || output === undefined || output.size !== verified.length) return;
    const settled = (state: BigIntStats) =>
      state.dev === fence.dev && state.ctimeNs > 0n && state.ctimeNs < fence.ctimeNs;
    if (!settled(lock)) return;
    const entries: [string, FileState][] = [];
    for (const path of verified) {
      const state = output.get(path);
      if (state === undefined || !settled(state)) return;
      entries.push([path, format(state)]);
    }
    const record: VerificationRecord = { inputs, lock: format(lock), output: entries };
    const temporary = `${this.recordPath}.${randomBytes(4).toString("hex")}`;
    try {
      mkdirSync(dirname(this.recordPath), { recursive: true });
      writeFileSync(temporary, JSON.stringify(record));
      renameSync(temporary, this.recordPath);
    } catch {
      removeQuietly(temporary);
    }
  }

  private read(): VerificationRecord | undefined {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.recordPath, "utf8"));
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private states(): Pick<Observation, "lock" | "output"> {
    return { lock: stateOf(this.config.lockfilePath), output: outputStates(this.config.outputDir) };
  }

  /** A new file's file system and ctime: a time of the file system's own clock before any file is looked at. */
  private fence(): Observation["fence"] {
    const path = join(this.folder, `fence-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      mkdirSync(this.folder, { recursive: true });
      writeFileSync(path, "");
      const state = statSync(path, { bigint: true });
      return { dev: state.dev, ctimeNs: state.ctimeNs };
    } catch {
      return undefined;
    } finally {
      removeQuietly(path);
    }
  }
}

/** Every output file's metadata by relative path (see listOutput). */
function outputStates(dir: string): Map<string, BigIntStats> | undefined {
  const states = new Map<string, BigIntStats>();
  try {
    for (const path of listOutput(dir)) {
      const state = stateOf(join(dir, path));
      if (state === undefined) return undefined;
      states.set(path, state);
    }
  } catch {
    return undefined;
  }
  return states;
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing to remove, or a cache folder that cannot be written: nothing was left there either.
  }
}

function stateOf(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function format(state: BigIntStats): FileState {
  return `${state.dev}:${state.ino}:${state.size}:${state.mtimeNs}:${state.ctimeNs}`;
}

function isRecord(value: unknown): value is VerificationRecord {
  if (typeof value !== "object" || value === null) return false;
  const { inputs, lock, output } = value as { [key: string]: unknown };
  return (
    typeof inputs === "string" &&
    typeof lock === "string" &&
    Array.isArray(output) &&
    output.every((entry) => Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "string")
  );
}

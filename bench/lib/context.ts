/** What every section shares: the corpus, its lock, paths, and temporary projects. */
import { cp, mkdir, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildLock, lockApp } from "../../generator/lock/build.js";
import type { LockApp } from "../../generator/lock/types.js";
import { serializeLock } from "../../generator/lock/write.js";
import type { Corpus, CorpusStats } from "../corpus.js";
import { useRusagePreload } from "./proc.js";
import type { Figure } from "./report.js";
import { tempDir } from "./temp.js";

/** The repository root (dist/bench/lib -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url)).replace(/[\\/]$/, "");

/** Where measured programs run from: the repository, or a private copy of its build (see snapshotPackage). */
let packageDir = REPO_ROOT;

/** The CLI as users run it. */
export const cli = (): string => join(packageDir, "dist", "generator", "cli.js");
/** A compiled bench child script (bench/child/<name>.ts). */
export const childScript = (name: string): string => join(packageDir, "dist", "bench", "child", `${name}.js`);

/**
 * Copies the build (dist/, templates/, the config schema, package.json) to a private folder and runs every
 * measured program from there, so that a rebuild of the working tree during the run (someone running
 * `npm test` next to the bench) cannot mix two versions of the generator in one run.
 */
export async function snapshotPackage(): Promise<string> {
  const dir = await tempDir("package");
  await cp(join(REPO_ROOT, "dist"), join(dir, "dist"), { recursive: true });
  await cp(join(REPO_ROOT, "templates"), join(dir, "templates"), { recursive: true });
  await mkdir(join(dir, "generator"), { recursive: true });
  for (const name of await readdir(join(REPO_ROOT, "generator"))) {
    if (name.endsWith(".json")) await cp(join(REPO_ROOT, "generator", name), join(dir, "generator", name));
  }
  await cp(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
  await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  packageDir = dir;
  useRusagePreload(join(dir, "dist", "bench", "lib", "rusage.js"));
  return dir;
}

export interface BenchSettings {
  quick: boolean;
  seed: number;
  /** Repetitions of cheap measurements (the median is reported). */
  runs: number;
  /** Pull the whole corpus under the rate limit (about 77 s) instead of a 3-app subset. */
  fullPull: boolean;
}

/** The peers the bench runs as baselines (bench/lib/peers.ts runs them). */
export type PeerName = "openapi-typescript" | "hey-api";

export interface Bench {
  settings: BenchSettings;
  corpus: Corpus;
  stats: CorpusStats;
  /** The corpus written as a catalog file (the emulator's `--lock` input, and the baselines' input). */
  corpusFile: string;
  slugs: string[];
  /** Figures in report order. */
  figures: Figure[];
  /** Raw measurements per section, for results.json. */
  details: Record<string, unknown>;
  /** Shared between sections. */
  shared: {
    /** A project whose `generated/` holds the corpus client (from the cold section, or made on demand). */
    generatedProject?: string;
    naive?: { wallMs: number; bytes: number; actions: number };
    /** Per peer, a folder whose `peer/` holds its output for the corpus (bench/lib/peers.ts). */
    peers?: Partial<Record<PeerName, string>>;
  };
}

/** The lock a pull of these corpus apps would write, byte for byte. */
export function lockText(corpus: Corpus, slugs: readonly string[]): string {
  const apps: Record<string, LockApp> = {};
  for (const slug of slugs) apps[slug] = lockApp(corpus.apps[slug]!);
  return serializeLock(buildLock(apps));
}

export interface ProjectOptions {
  slugs: readonly string[];
  /** Write the lock for `slugs` (default true). */
  lock?: boolean;
  /** Extra keys of refold.codegen.json. */
  config?: Record<string, unknown>;
  /** Link the repository's node_modules (needed to typecheck the output: undici, @types/node). */
  nodeModules?: boolean;
}

/** A fresh project folder: package.json, refold.codegen.json and (by default) refold.lock.json. Nothing else. */
export async function makeProject(bench: Bench, prefix: string, options: ProjectOptions): Promise<string> {
  const dir = await tempDir(prefix);
  await writeFile(
    join(dir, "package.json"),
    `${JSON.stringify({ type: "module", private: true, dependencies: { undici: "^7" } }, null, 2)}\n`,
  );
  const config = {
    linkedAccountId: "bench-account",
    apps: options.slugs,
    output: "generated",
    lockfile: "refold.lock.json",
    ...options.config,
  };
  await writeFile(join(dir, "refold.codegen.json"), `${JSON.stringify(config, null, 2)}\n`);
  if (options.lock ?? true) await writeFile(join(dir, "refold.lock.json"), lockText(bench.corpus, options.slugs));
  if (options.nodeModules === true) await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Environment of a CLI run that must not find a cache from another run. */
export async function isolatedEnv(): Promise<Record<string, string>> {
  const cache = await tempDir("xdg-cache");
  await mkdir(cache, { recursive: true });
  return { XDG_CACHE_HOME: cache };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
import { loadProjectConfig } from "../config/options.js";

/** What `watchGenerate` reports after each run. */
export interface WatchHandlers {
  onResult(result: GenerateResult): void;
  /** A failed run: reported, and watching goes on. */
  onError(error: unknown): void;
}

/** A running watch. */
export interface WatchHandle {
  close(): void;
}

/**
 * Generates now, then again whenever the config, the lock or the results file changes (debounced), until closed.
 * Events that leave both files' contents as they were (our own lock write, an editor touching a file)
 * start no run.
 */
export async function watchGenerate(
  options: GenerateOptions,
  handlers: WatchHandlers,
  debounceMs = 200,
): Promise<WatchHandle> {
  const config = await loadProjectConfig(options);
  const files = [config.configPath, config.lockfilePath, config.resultsPath];
  let seen = "";
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();

  const runOnce = async () => {
    const state = await snapshot(files);
    if (state === seen) return;
    try {
      handlers.onResult(await generate(options));
    } catch (error) {
      handlers.onError(error);
    }
    seen = await snapshot(files);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(runOnce);
    }, debounceMs);
  };

  await (running = runOnce());
  // Watch the folders, not the files: editors and our atomic writes replace files by rename.
  const watchers: FSWatcher[] = [...new Set(files.map(dirname))].map((dir) =>
    watch(dir, (_event, name) => {
      if (name !== null && files.some((file) => dirname(file) === dir && basename(file) === name.toString()))
        schedule();
    }),
  );
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

async function snapshot(files: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) hash.update(await readFile(file).catch(() => Buffer.from("<missing>"))).update("\0");
  return hash.digest("hex");
}

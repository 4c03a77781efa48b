import { statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** Environment variables that decide where the cache lives. */
export interface CacheEnv {
  /** A folder for the cache, used as it is; `off` turns the cache off. */
  REFOLD_CODEGEN_CACHE_DIR?: string | undefined;
  XDG_CACHE_HOME?: string | undefined;
  LOCALAPPDATA?: string | undefined;
}

/**
 * The folder refold-codegen keeps its cache in, for a project at `projectDir`: REFOLD_CODEGEN_CACHE_DIR when
 * set; else `node_modules/.cache/refold-codegen` of the nearest folder up from the project that has
 * node_modules, the place babel-loader and prettier use, on the project's own disk and gone with a clean
 * install; else the user's cache folder. Undefined when the cache is turned off, or when there is no user's
 * cache folder (no home folder: no HOME and no passwd entry, as in some containers): the cache never fails a run.
 */
export function cacheFolder(projectDir: string, env: CacheEnv, home: () => string = homedir): string | undefined {
  const chosen = env.REFOLD_CODEGEN_CACHE_DIR;
  if (chosen === "off") return undefined;
  if (chosen !== undefined && chosen !== "") return chosen;
  for (let dir = projectDir; ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    if (isFolder(modules)) return join(modules, ".cache", "refold-codegen");
    if (dirname(dir) === dir) break;
  }
  const user = userCacheFolder(env, home);
  return user === undefined ? undefined : join(user, "refold-codegen");
}

function userCacheFolder(env: CacheEnv, home: () => string): string | undefined {
  if (env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== "") return env.XDG_CACHE_HOME;
  if (process.platform === "win32" && env.LOCALAPPDATA !== undefined) return env.LOCALAPPDATA;
  let folder: string;
  try {
    folder = home();
  } catch {
    return undefined; // os.homedir() throws when the system knows no home folder for the user
  }
  return process.platform === "darwin" ? join(folder, "Library", "Caches") : join(folder, ".cache");
}

function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

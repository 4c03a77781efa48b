import { credentialsFrom } from "../config/credentials.js";
import { loadProjectConfig, type CommonOptions } from "../config/options.js";
import type { AppConfig, ResolvedConfig } from "../config/types.js";
import { openChangelog, writeChangelog } from "./changelog.js";
import { diffLocks } from "../diff/classify.js";
import type { DiffResult } from "../diff/types.js";
import { buildLock, LockRenderer } from "../lock/build.js";
import type { CoverageGap } from "../lock/covers.js";
import { readLock } from "../lock/read.js";
import type { LockApp, LockFile } from "../lock/types.js";
import { buildModel } from "../model/build.js";
import { ExitCode, failOnErrors, type Diagnostic } from "../util/diagnostics.js";
import { setOwn } from "../util/records.js";
import { writeFileAtomic } from "../write/atomic-file.js";

/** Options of `pull`. */
export interface PullOptions extends CommonOptions {
  /** When something changed, append the classified changes to this markdown file (relative to `cwd`). */
  changelog?: string;
}

/** What `pull` did. */
export interface PullResult {
  lockfilePath: string;
  /** The classified changes between the previous lock and the pulled one. */
  diff: DiffResult;
  /** The changelog file the changes were appended to, when `changelog` was given and something changed. */
  changelogPath?: string;
  diagnostics: Diagnostic[];
}

/** Updates the lock from the API for every configured app, without generating. */
export async function pull(options: PullOptions = {}): Promise<PullResult> {
  const config = await loadProjectConfig(options);
  const previous = await readLock(config.lockfilePath);
  const changelog = await openChangelog(options);
  const { lock, text } = await pullLock(config, previous, undefined, options);
  const { diagnostics } = buildModel(lock, config.apps);
  failOnErrors(diagnostics, ExitCode.network, "the API's answers cannot be used");
  await writeFileAtomic(config.lockfilePath, text);
  const changes = diffLocks(previous ?? EMPTY_LOCK, lock, config.apps);
  const changelogPath = await writeChangelog(changelog, config.lockfilePath, changes);
  return {
    lockfilePath: config.lockfilePath,
    diff: changes,
    ...(changelogPath !== undefined ? { changelogPath } : {}),
    diagnostics,
  };
}

/** The lock before the first pull: what a first pull is compared with. */
export const EMPTY_LOCK: LockFile = { lockfileVersion: 1, apps: {} };

/**
 * Pulls the configured apps (all of them, or only those named in coverage gaps) and returns the new lock
 * (configured apps only, untouched apps kept as they were) with its file's exact bytes. Throws with every
 * problem of the run; writes nothing.
 *
 * With `tolerant` (for `diff`), warnings are collected into it, and an included action the API no longer
 * lists is not an error: that app is pulled again without it, so the diff can report it as removed.
 */
export async function pullLock(
  config: ResolvedConfig,
  previous: LockFile | undefined,
  gaps: readonly CoverageGap[] | undefined,
  options: CommonOptions,
  tolerant?: Diagnostic[],
): Promise<{ lock: LockFile; text: string }> {
  const auth = credentialsFrom(options.env ?? process.env, "pulling schemas");
  const everything = gaps === undefined || gaps.some((gap) => gap.app === undefined);
  const stale = config.apps.filter((app) => everything || gaps.some((gap) => gap.app === app.slug));
  const request = (app: AppConfig, without: ReadonlySet<string> = new Set()) => ({
    slug: app.slug,
    ...(app.include ? { include: app.include.filter((id) => !without.has(id)) } : {}),
    ...(app.exclude ? { exclude: [...app.exclude] } : {}),
  });
  const source = {
    baseUrl: config.baseUrl,
    auth,
    ...(config.linkedAccountId !== undefined ? { linkedAccountId: config.linkedAccountId } : {}),
    concurrency: config.concurrency,
    rateLimit: config.rateLimit,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  // Loaded on demand: the network client (undici) is not needed by offline runs.
  const { pullApps } = await import("../source/pull.js");
  const result = await pullApps(
    stale.map((app) => request(app)),
    source,
  );
  if (tolerant !== undefined) {
    const vanished = vanishedIncludes(stale, result.diagnostics);
    if (vanished.size > 0) {
      const again = await pullApps(
        stale.filter((app) => vanished.has(app.slug)).map((app) => request(app, vanished.get(app.slug))),
        source,
      );
      result.diagnostics = [
        ...result.diagnostics.filter((d) => d.app === undefined || !vanished.has(d.app)),
        ...again.diagnostics,
      ];
      Object.assign(result.apps, again.apps);
    }
    tolerant.push(...result.diagnostics.filter((d) => d.severity === "warning"));
  }
  failOnErrors(result.diagnostics, ExitCode.network, "the pull failed; the lock file and the output are unchanged");
  const renderer = new LockRenderer();
  const apps: Record<string, LockApp> = {};
  for (const app of config.apps) {
    const pulled = result.apps[app.slug];
    const kept = previous !== undefined && Object.hasOwn(previous.apps, app.slug) ? previous.apps[app.slug] : undefined;
    const entry = pulled ? renderer.entry(pulled) : kept;
    if (entry) setOwn(apps, app.slug, entry);
  }
  const lock = buildLock(apps);
  // Serialized at once, while nothing else holds the entries (the renderer's fast path relies on it).
  return { lock, text: renderer.serialize(lock) };
}

/**
 * Apps whose only errors are included actions the API no longer lists (source's `unknown-action`), with
 * those ids. Any other error keeps the app out, so the pull still fails for it.
 */
function vanishedIncludes(apps: readonly AppConfig[], diagnostics: readonly Diagnostic[]): Map<string, Set<string>> {
  const vanished = new Map<string, Set<string>>();
  for (const app of apps) {
    const errors = diagnostics.filter((d) => d.app === app.slug && d.severity === "error");
    const ids = errors.map((d) => (d.code === "unknown-action" && d.action !== undefined ? d.action : undefined));
    if (errors.length > 0 && ids.every((id) => id !== undefined && app.include?.includes(id) === true))
      vanished.set(app.slug, new Set(ids as string[]));
  }
  return vanished;
}

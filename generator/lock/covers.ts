import type { ResolvedConfig } from "../config/types.js";
import { selectActions } from "../model/select.js";
import type { LockFile } from "./types.js";

/** One reason the lock cannot serve the config as it is. */
export interface CoverageGap {
  /** The app that needs pulling; undefined when there is no lock at all. */
  app?: string;
  message: string;
}

/** Why the lock cannot serve the config as it is (empty when it covers it). */
export function coverageGaps(lock: LockFile | undefined, config: Pick<ResolvedConfig, "apps">): CoverageGap[] {
  if (lock === undefined) return [{ message: "there is no lock file yet" }];
  const gaps: CoverageGap[] = [];
  for (const app of config.apps) {
    const entry = Object.hasOwn(lock.apps, app.slug) ? lock.apps[app.slug] : undefined;
    if (entry === undefined) {
      gaps.push({ app: app.slug, message: `app ${app.slug} is not in the lock` });
      continue;
    }
    const { ids, missingIncludes } = selectActions(entry.actions, app);
    for (const id of missingIncludes)
      gaps.push({ app: app.slug, message: `app ${app.slug}: included action ${id} is not in the lock` });
    for (const id of ids) {
      if (!Object.hasOwn(entry.parameters, id))
        gaps.push({ app: app.slug, message: `app ${app.slug}: action ${id} has no parameters in the lock` });
    }
  }
  return gaps;
}

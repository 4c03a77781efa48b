import type { ResolvedConfig } from "../config/types.js";
import { selectActions } from "../model/select.js";
import type { LockView } from "./view.js";

/** One reason the lock cannot serve the config as it is. */
export interface CoverageGap {
  /** The app that needs pulling; undefined when there is no lock at all. */
  app?: string;
  message: string;
}

/**
 * Why the lock cannot serve the config as it is (empty when it covers it). Apps in `known` (those whose
 * output a run already generated from the same entry and config) are covered without parsing their entry.
 */
export function coverageGaps(
  lock: LockView | undefined,
  config: ResolvedConfig,
  known?: ReadonlyMap<string, unknown>,
): CoverageGap[] {
  if (lock === undefined) return [{ message: "there is no lock file yet" }];
  const gaps: CoverageGap[] = [];
  for (const app of config.apps) {
    if (known?.has(app.slug) === true) continue;
    if (!lock.has(app.slug)) {
      gaps.push({ app: app.slug, message: `app ${app.slug} is not in the lock` });
      continue;
    }
    const entry = lock.entry(app.slug);
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

import type { AppConfig } from "../config/types.js";
import type { RawActionEntry } from "../lock/types.js";

/** The action ids a config entry selects from an app's action list, and the included ids the list lacks. */
export interface Selection {
  ids: string[];
  missingIncludes: string[];
}

/** Applies `include` then `exclude` to an action list, keeping its order. */
export function selectActions(actions: readonly RawActionEntry[], app: AppConfig): Selection {
  const listed = new Set(actions.map((entry) => entry.action_id));
  const include = app.include ? new Set(app.include) : undefined;
  const exclude = new Set(app.exclude ?? []);
  const ids = [...listed].filter((id) => (include === undefined || include.has(id)) && !exclude.has(id));
  const missingIncludes = (app.include ?? []).filter((id) => !listed.has(id));
  return { ids, missingIncludes };
}

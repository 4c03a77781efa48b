import type { ActionKind } from "../../templates/runtime/types.js";
import { words } from "./naming.js";

const READ_VERBS = new Set(["get", "list", "search", "find", "fetch"]);

/**
 * Infers whether an action reads or writes from its id's first word (refold-api.md). Anything not
 * recognisably a read, `httprequest` included, counts as a write: the safe side.
 */
export function inferKind(actionId: string, overrides: Readonly<Record<string, ActionKind>> = {}): ActionKind {
  const override = Object.hasOwn(overrides, actionId) ? overrides[actionId] : undefined;
  if (override !== undefined) return override;
  const first = words(actionId)[0]?.toLowerCase();
  return first !== undefined && READ_VERBS.has(first) ? "read" : "write";
}

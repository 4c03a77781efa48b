import type { Change, ChangeKind } from "../diff/types.js";
import { compareCodeUnits } from "../util/stable-json.js";
import type { ResultsFile } from "./file.js";
import { isUnknown, saysNothing, variantsOf, type Shape, type Variant } from "./shape.js";

/*
 * Changes of a result shape, classified for the code that reads results: what it read may be gone
 * (a field removed, newly optional, newly nullable, a new type to handle) is breaking; what only adds to
 * what it reads (a field added, a type no longer seen) is not. The reverse of parameters, which are inputs.
 */

const BREAKING: Readonly<Record<string, boolean>> = {
  "result-added": false,
  "result-removed": true,
  "result-field-added": false,
  "result-field-removed": true,
  "result-field-optional": true,
  "result-field-required": false,
  "result-field-nullable": true,
  "result-type-changed": true,
  "result-type-narrowed": false,
};

/** The classified changes between two results files, for the given actions of each app (all when omitted). */
export function diffResults(before: ResultsFile, after: ResultsFile, apps?: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  const slugs = new Set([...Object.keys(before.apps), ...Object.keys(after.apps)]);
  for (const app of [...slugs].sort(compareCodeUnits)) {
    if (apps !== undefined && !apps.has(app)) continue;
    const old = Object.hasOwn(before.apps, app) ? (before.apps[app] ?? {}) : {};
    const now = Object.hasOwn(after.apps, app) ? (after.apps[app] ?? {}) : {};
    for (const action of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort(compareCodeUnits)) {
      const from = Object.hasOwn(old, action) ? old[action]?.schema : undefined;
      const to = Object.hasOwn(now, action) ? now[action]?.schema : undefined;
      changes.push(...compareResult(from, to).map((change) => ({ app, action, ...change })));
    }
  }
  return changes;
}

/** One action's result changes, without app and action. */
export function compareResult(before: Shape | undefined, after: Shape | undefined): Omit<Change, "app">[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [change("result-added", "", "the result now has a recorded shape")];
  if (after === undefined) return [change("result-removed", "", "the result has no recorded shape any more")];
  const changes: Omit<Change, "app">[] = [];
  compareShapes(before, after, "", changes);
  return changes;
}

function compareShapes(before: Shape, after: Shape, path: string, changes: Omit<Change, "app">[]): void {
  const what = path === "" ? "the result" : `field ${path}`;
  // A shape that says nothing (only null seen, or cut below the depth limit) is `unknown` to the reader.
  if (saysNothing(before) || saysNothing(after)) {
    if (saysNothing(before) && saysNothing(after)) return;
    const kinds = (shape: Shape) => [...new Set(variantsOf(shape).map(kind))];
    if (saysNothing(before)) {
      const was = isUnknown(before) ? "unknown" : "null in every sample so far";
      const message = `${what}, ${was}, is now ${kinds(after).join(" or ")}`;
      changes.push(change("result-type-narrowed", path, message, ["unknown"], kinds(after)));
    } else {
      const why = isUnknown(after) ? "nested too deeply to record" : "only null seen";
      changes.push(change("result-type-changed", path, `${what} is now unknown (${why})`, kinds(before), ["unknown"]));
    }
    return;
  }
  const old = new Map(variantsOf(before).map((variant) => [kind(variant), variant]));
  const now = new Map(variantsOf(after).map((variant) => [kind(variant), variant]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  if (added.includes("null")) changes.push(change("result-field-nullable", path, `${what} may now be null`));
  const others = added.filter((k) => k !== "null");
  if (others.length > 0)
    changes.push(
      change(
        "result-type-changed",
        path,
        `${what} may now be ${others.join(" or ")}`,
        [...old.keys()],
        [...now.keys()],
      ),
    );
  if (removed.length > 0)
    changes.push(
      change(
        "result-type-narrowed",
        path,
        `${what} is no longer ${removed.join(" or ")}`,
        [...old.keys()],
        [...now.keys()],
      ),
    );
  for (const [k, variant] of old) {
    const next = now.get(k);
    if (next !== undefined) compareVariants(variant, next, path, changes);
  }
}

function compareVariants(before: Variant, after: Variant, path: string, changes: Omit<Change, "app">[]): void {
  if (before.type === "array" && after.type === "array" && before.items !== undefined && after.items !== undefined)
    compareShapes(before.items, after.items, `${path}[]`, changes);
  if (before.type !== "object" || after.type !== "object") return;
  if (!("properties" in before) || !("properties" in after)) {
    const a = "properties" in before ? undefined : before.additionalProperties;
    const b = "properties" in after ? undefined : after.additionalProperties;
    if (a && b) compareShapes(a, b, `${path}[*]`, changes);
    const what = path === "" ? "the result" : `field ${path}`;
    // A record with named fields became a map (its keys are data, or too many to name), or the reverse.
    if ("properties" in before && !("properties" in after) && Object.keys(before.properties).length > 0)
      changes.push(
        change("result-type-changed", path, `${what} is now a map: its fields are no longer named`, "record", "map"),
      );
    if (!("properties" in before) && "properties" in after && Object.keys(after.properties).length > 0)
      changes.push(
        change("result-type-narrowed", path, `${what} is no longer a map: its fields are named`, "map", "record"),
      );
    return;
  }
  const keys = [...new Set([...Object.keys(before.properties), ...Object.keys(after.properties)])].sort(
    compareCodeUnits,
  );
  const wasRequiredKeys = new Set(before.required);
  const isRequiredKeys = new Set(after.required);
  for (const key of keys) {
    const at = join(path, key);
    const old = Object.hasOwn(before.properties, key) ? before.properties[key] : undefined;
    const now = Object.hasOwn(after.properties, key) ? after.properties[key] : undefined;
    if (old === undefined) changes.push(change("result-field-added", at, `field ${at} added`));
    else if (now === undefined) changes.push(change("result-field-removed", at, `field ${at} removed`));
    else {
      const wasRequired = wasRequiredKeys.has(key);
      const isRequired = isRequiredKeys.has(key);
      if (wasRequired && !isRequired)
        changes.push(change("result-field-optional", at, `field ${at} is now optional`, true, false));
      if (!wasRequired && isRequired)
        changes.push(change("result-field-required", at, `field ${at} is now always there`, false, true));
      compareShapes(old, now, at, changes);
    }
  }
}

function kind(variant: Variant): string {
  return variant.type === "integer" ? "number" : (variant.type ?? "unknown");
}

/** A field path as the lock's changes write it: keys joined with `.`, `[]` for array items. */
function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function change(
  kind: ChangeKind,
  field: string,
  message: string,
  before?: unknown,
  after?: unknown,
): Omit<Change, "app"> {
  return {
    ...(field !== "" ? { field } : {}),
    kind,
    breaking: BREAKING[kind] ?? true,
    message,
    ...(before !== undefined ? { before, after } : {}),
  };
}

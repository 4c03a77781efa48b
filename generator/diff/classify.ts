import type { AppConfig } from "../config/types.js";
import type { LockApp, LockFile, RawActionEntry } from "../lock/types.js";
import { normalizeParameters } from "../model/fields.js";
import { selectActions } from "../model/select.js";
import type { Field, OptionValue, TypeNode } from "../model/types.js";
import { compareCodeUnits } from "../util/stable-json.js";
import type { Change, ChangeKind, DiffResult } from "./types.js";
import { describeType, jsonValueOf, quote, quoteValue } from "./text.js";
import { byName, canonical, equalType, optionKey, widens } from "./widen.js";

/**
 * Classifies what changed between two locks for the configured apps: only the actions each app's
 * `include`/`exclude` selects are compared, and parameters are compared after `normalizeParameters`,
 * i.e. as the generated TypeScript sees them. Pure: no I/O. The result is sorted by app, action,
 * field and kind (code-unit order), so the same locks always give the same list.
 */
export function diffLocks(before: LockFile, after: LockFile, apps: readonly AppConfig[]): DiffResult {
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const app of apps) {
    if (seen.has(app.slug)) continue;
    seen.add(app.slug);
    diffApp(app, entryOf(before, app.slug), entryOf(after, app.slug), changes);
  }
  changes.sort(compareChanges);
  return { changes, breaking: changes.filter((change) => change.breaking).length };
}

/** Appends changes; `field` and the rest are only set when given, so JSON never carries `null`s. */
type Sink = (
  kind: ChangeKind,
  breaking: boolean,
  message: string,
  extra?: { field?: string; option?: OptionValue; before?: unknown; after?: unknown },
) => void;

function sinkFor(app: string, action: string | undefined, changes: Change[]): Sink {
  return (kind, breaking, message, extra = {}) => {
    // Built in the documented property order; absent properties are left out, never null.
    changes.push({
      app,
      ...(action !== undefined ? { action } : {}),
      ...(extra.field !== undefined ? { field: extra.field } : {}),
      kind,
      breaking,
      message,
      ...(extra.option !== undefined ? { option: extra.option } : {}),
      ...("before" in extra ? { before: extra.before } : {}),
      ...("after" in extra ? { after: extra.after } : {}),
    });
  };
}

function entryOf(lock: LockFile, slug: string): LockApp | undefined {
  return Object.hasOwn(lock.apps, slug) ? lock.apps[slug] : undefined;
}

function diffApp(app: AppConfig, old: LockApp | undefined, now: LockApp | undefined, changes: Change[]): void {
  if (old === undefined && now === undefined) return;
  const add = sinkFor(app.slug, undefined, changes);
  if (old === undefined) {
    const count = selectActions((now as LockApp).actions, app).ids.length;
    add("app-added", false, `app ${quote(app.slug)} added with ${plural(count, "action")}`);
    return;
  }
  if (now === undefined) {
    const count = selectActions(old.actions, app).ids.length;
    add("app-removed", true, `app ${quote(app.slug)} removed with its ${plural(count, "action")}`);
    return;
  }
  // Recorded hashes are not trusted to skip an app: a hand-edited lock keeps its stale hash.
  const before = selected(old, app);
  const after = selected(now, app);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(compareCodeUnits);
  for (const id of ids) {
    const push = sinkFor(app.slug, id, changes);
    const a = before.get(id);
    const b = after.get(id);
    if (b === undefined) push("action-removed", true, `action ${quote(id)} removed`);
    else if (a === undefined) push("action-added", false, `action ${quote(id)} added`);
    else diffAction(id, a, b, old, now, push);
  }
}

/** The selected actions' list entries, by id (the first entry wins when the API lists one twice). */
function selected(entry: LockApp, app: AppConfig): Map<string, RawActionEntry> {
  const ids = new Set(selectActions(entry.actions, app).ids);
  const map = new Map<string, RawActionEntry>();
  for (const action of entry.actions)
    if (ids.has(action.action_id) && !map.has(action.action_id)) map.set(action.action_id, action);
  return map;
}

function diffAction(id: string, a: RawActionEntry, b: RawActionEntry, old: LockApp, now: LockApp, push: Sink): void {
  // The same reading of the list entry as model/build.ts: what the generated JSDoc and `<app>Actions` show.
  const name = (entry: RawActionEntry) =>
    typeof entry.name === "string" && entry.name.trim() !== "" ? entry.name : id;
  const description = (entry: RawActionEntry) => (typeof entry.description === "string" ? entry.description : "");
  docChange(push, `action ${quote(id)} name`, name(a), name(b));
  docChange(push, `action ${quote(id)} description`, description(a), description(b));
  // Without both parameter lists (an action the lock never pulled) there is nothing to compare.
  if (!Object.hasOwn(old.parameters, id) || !Object.hasOwn(now.parameters, id)) return;
  const where = { action: id };
  const before = normalizeParameters(old.parameters[id], where).fields;
  const after = normalizeParameters(now.parameters[id], where).fields;
  diffFields(before, after, undefined, push);
}

function diffFields(before: readonly Field[], after: readonly Field[], prefix: string | undefined, push: Sink): void {
  const a = byName(before);
  const b = byName(after);
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort(compareCodeUnits)) {
    const path = prefix === undefined ? name : `${prefix}.${name}`;
    const old = a.get(name);
    const now = b.get(name);
    if (now === undefined) {
      push("field-removed", true, `field ${quote(path)} removed`, { field: path, before: describeType(old!.type) });
    } else if (old === undefined) {
      const type = describeType(now.type);
      push(
        "field-added",
        now.required,
        `${now.required ? "required" : "optional"} field ${quote(path)} added (${type})`,
        { field: path, after: type },
      );
    } else diffField(old, now, path, push);
  }
}

function diffField(a: Field, b: Field, path: string, push: Sink): void {
  const field = { field: path };
  if (!a.required && b.required)
    push("field-required", true, `field ${quote(path)} is now required`, { ...field, before: false, after: true });
  if (a.required && !b.required)
    push("field-optional", false, `field ${quote(path)} is now optional`, { ...field, before: true, after: false });
  diffType(a.type, b.type, path, push);
  if (a.rawType !== b.rawType && equalType(a.type, b.type))
    push(
      "doc-changed",
      false,
      `field ${quote(path)} type ${quote(a.rawType)} is now ${quote(b.rawType)} (same TypeScript type)`,
      { ...field, before: a.rawType, after: b.rawType },
    );
  const subject = `field ${quote(path)}`;
  docChange(push, `${subject} label`, a.label ?? "", b.label ?? "", field);
  docChange(push, `${subject} description`, a.description ?? "", b.description ?? "", field);
  docChange(push, `${subject} example`, a.placeholder ?? "", b.placeholder ?? "", field);
  if (a.defaultJson !== b.defaultJson) {
    const before = jsonValueOf(a.defaultJson);
    const after = jsonValueOf(b.defaultJson);
    const show = (json: string | undefined) => (json === undefined ? "none" : shorten(json));
    push("default-changed", false, `${subject} default changed from ${show(a.defaultJson)} to ${show(b.defaultJson)}`, {
      ...field,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    });
  }
  const labels = new Map((a.options ?? []).map((option) => [optionKey(option.value), option]));
  for (const option of b.options ?? []) {
    const old = labels.get(optionKey(option.value));
    if (old === undefined) continue;
    docChange(push, `${subject} option ${quoteValue(option.value)} label`, old.label ?? "", option.label ?? "", {
      ...field,
      option: option.value,
    });
  }
}

/** A documentation text changed: the message quotes short texts, before/after always hold them whole. */
function docChange(
  push: Sink,
  subject: string,
  before: string,
  after: string,
  extra: { field?: string; option?: OptionValue } = {},
): void {
  if (before === after) return;
  const short = (text: string) => text.length <= 60 && !/[\r\n]/.test(text);
  const message =
    before === ""
      ? `${subject} added${short(after) ? `: ${quote(after)}` : ""}`
      : after === ""
        ? `${subject} removed`
        : short(before) && short(after)
          ? `${subject} changed from ${quote(before)} to ${quote(after)}`
          : `${subject} changed`;
  push("doc-changed", false, message, { ...extra, before, after });
}

function diffType(before: TypeNode, after: TypeNode, path: string, push: Sink): void {
  const a = canonical(before);
  const b = canonical(after);
  const field = { field: path };
  if (a.kind === "object" && b.kind === "object" && a.fields.length > 0 === b.fields.length > 0) {
    diffFields(a.fields, b.fields, path, push);
    return;
  }
  if (a.kind === "array" && b.kind === "array" && sameShape(a.items, b.items)) {
    diffType(a.items, b.items, canonical(a.items).kind === "object" ? `${path}[]` : path, push);
    return;
  }
  if (a.kind === "enum" && b.kind === "enum") {
    diffOptions(a.values, b.values, path, push);
    return;
  }
  const single = (type: TypeNode) => (type.kind === "enum" ? type : undefined);
  const list = (type: TypeNode) => (type.kind === "array" && type.items.kind === "enum" ? type.items : undefined);
  const fromOne = single(a) ?? list(a);
  const toOne = single(b) ?? list(b);
  if (fromOne !== undefined && toOne !== undefined) {
    // One of them is a single select and the other a list of the same kind of select.
    const nowMultiple = b.kind === "array";
    push(
      "multiple-changed",
      true,
      `field ${quote(path)} now takes ${nowMultiple ? "a list of values" : "a single value"}`,
      { ...field, before: !nowMultiple, after: nowMultiple },
    );
    diffOptions(fromOne.values, toOne.values, path, push);
    return;
  }
  if (equalType(a, b)) return;
  const types = { ...field, before: describeType(before), after: describeType(after) };
  if (widens(a, b))
    push("type-widened", false, `field ${quote(path)} type widened from ${types.before} to ${types.after}`, types);
  else push("type-changed", true, `field ${quote(path)} type changed from ${types.before} to ${types.after}`, types);
}

/** Items worth comparing member by member rather than as whole types. */
function sameShape(a: TypeNode, b: TypeNode): boolean {
  const x = canonical(a);
  const y = canonical(b);
  if (x.kind === "object" && y.kind === "object") return x.fields.length > 0 === y.fields.length > 0;
  return (x.kind === "enum" && y.kind === "enum") || (x.kind === "array" && y.kind === "array");
}

function diffOptions(before: readonly OptionValue[], after: readonly OptionValue[], path: string, push: Sink): void {
  const a = new Set(before.map(optionKey));
  const b = new Set(after.map(optionKey));
  for (const value of before)
    if (!b.has(optionKey(value)))
      push("option-removed", true, `field ${quote(path)} option ${quoteValue(value)} removed`, {
        field: path,
        option: value,
      });
  for (const value of after)
    if (!a.has(optionKey(value)))
      push("option-added", false, `field ${quote(path)} option ${quoteValue(value)} added`, {
        field: path,
        option: value,
      });
}

function compareChanges(a: Change, b: Change): number {
  return (
    compareCodeUnits(a.app, b.app) ||
    compareCodeUnits(a.action ?? "", b.action ?? "") ||
    compareCodeUnits(a.field ?? "", b.field ?? "") ||
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(
      a.option === undefined ? "" : optionKey(a.option),
      b.option === undefined ? "" : optionKey(b.option),
    ) ||
    compareCodeUnits(a.message, b.message)
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

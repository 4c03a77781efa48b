// Every classification of `diffLocks`, table-driven: a parameter list before and after an update, and
// the changes expected as [field, kind, breaking, option?].
import { describe, expect, it } from "vitest";
import type { AppConfig } from "../../generator/config/types.js";
import { CHANGE_KINDS, diffLocks, type Change, type ChangeKind } from "../../generator/diff/index.js";
import { buildLock, lockApp } from "../../generator/lock/build.js";
import type { LockFile, RawActionEntry } from "../../generator/lock/types.js";
import type { OptionValue } from "../../generator/model/types.js";

type Params = Record<string, unknown>[];
type Row = [field: string | undefined, kind: ChangeKind, breaking: boolean, option?: OptionValue];

const APP: AppConfig = { slug: "app", kinds: {} };

/** A lock of one app whose actions have the given parameter lists. */
function lockOf(actions: Record<string, unknown>, entries?: RawActionEntry[], slug = "app"): LockFile {
  const list = entries ?? Object.keys(actions).map((action_id) => ({ action_id, name: action_id }));
  return buildLock({ [slug]: lockApp({ actions: list, parameters: actions }) });
}

/** The changes of one action's parameter list going from `before` to `after`, as rows. */
function fieldRows(before: Params, after: Params): Row[] {
  return rows(diffLocks(lockOf({ act: before }), lockOf({ act: after }), [APP]).changes);
}

/** Every kind some fixture produced, checked against the documented list at the end. */
const produced = new Set<ChangeKind>();

function rows(changes: readonly Change[]): Row[] {
  for (const change of changes) produced.add(change.kind);
  return changes.map((c) =>
    c.option === undefined ? [c.field, c.kind, c.breaking] : [c.field, c.kind, c.breaking, c.option],
  );
}

const text = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: "text", ...extra });
const typed = (type: string, extra: Record<string, unknown> = {}) => [{ name: "f", type, ...extra }];
const select = (values: OptionValue[], extra: Record<string, unknown> = {}) => [
  { name: "f", type: "select", options: values.map((value) => ({ name: String(value), value })), ...extra },
];
const grid = (rowCount: Record<string, unknown>, more: Params = []) => [
  {
    name: "properties",
    type: "object",
    required: true,
    fields: [
      text("title", { required: true }),
      { name: "grid_properties", type: "object", fields: [{ name: "row_count", ...rowCount }, ...more] },
    ],
  },
];

describe("field-level classifications", () => {
  const cases: [string, Params, Params, Row[]][] = [
    ["identical lists", [text("a")], [text("a")], []],
    ["field order and option order do not count", [text("a"), text("b")], [text("b"), text("a")], []],
    ["field removed", [text("a"), text("b")], [text("a")], [["b", "field-removed", true]]],
    ["required field removed", [text("a", { required: true })], [], [["a", "field-removed", true]]],
    ["optional field added", [text("a")], [text("a"), text("b")], [["b", "field-added", false]]],
    ["required field added", [text("a")], [text("a"), text("b", { required: true })], [["b", "field-added", true]]],
    ['required field added, required as "true"', [], [text("b", { required: "true" })], [["b", "field-added", true]]],
    ["required field added, required as 1", [], [text("b", { required: 1 })], [["b", "field-added", true]]],
    [
      'optional field added, required as "false"',
      [],
      [text("b", { required: "false" })],
      [["b", "field-added", false]],
    ],
    ["field made required", [text("a")], [text("a", { required: true })], [["a", "field-required", true]]],
    [
      'field made required, as "TRUE"',
      [text("a")],
      [text("a", { required: " TRUE " })],
      [["a", "field-required", true]],
    ],
    ["field made optional", [text("a", { required: true })], [text("a")], [["a", "field-optional", false]]],
    [
      'field made optional, as "false"',
      [text("a", { required: true })],
      [text("a", { required: "false" })],
      [["a", "field-optional", false]],
    ],
    ['required true -> "true" is no change', [text("a", { required: true })], [text("a", { required: "true" })], []],
    // types
    ["number -> string narrows", typed("number"), typed("text"), [["f", "type-changed", true]]],
    ["string -> number narrows", typed("text"), typed("number"), [["f", "type-changed", true]]],
    ["boolean -> string narrows", typed("boolean"), typed("text"), [["f", "type-changed", true]]],
    ["string -> json widens", typed("text"), typed("json"), [["f", "type-widened", false]]],
    ["number -> json widens", typed("number"), typed("json"), [["f", "type-widened", false]]],
    ["boolean -> unknown widens", typed("boolean"), typed("mystery"), [["f", "type-widened", false]]],
    ["json -> unknown widens", typed("json"), typed("mystery"), [["f", "type-widened", false]]],
    ["json -> string narrows", typed("json"), typed("text"), [["f", "type-changed", true]]],
    ["unknown -> json narrows", typed("mystery"), typed("json"), [["f", "type-changed", true]]],
    ["unknown -> string narrows", typed("mystery"), typed("text"), [["f", "type-changed", true]]],
    ["string select -> string widens", select(["a", "b"]), typed("text"), [["f", "type-widened", false]]],
    ["string -> select narrows", typed("text"), select(["a", "b"]), [["f", "type-changed", true]]],
    ["select of numbers -> number widens", select([1, 2]), typed("integer"), [["f", "type-widened", false]]],
    ["select with a number -> string narrows", select(["1", 2]), typed("text"), [["f", "type-changed", true]]],
    ["select of booleans -> boolean widens", select([true, false]), typed("checkbox"), [["f", "type-widened", false]]],
    ["select -> select without options (string) widens", select(["a"]), select([]), [["f", "type-widened", false]]],
    ["select -> json widens", select(["a", 1]), typed("json"), [["f", "type-widened", false]]],
    [
      "string -> array of strings narrows",
      typed("text"),
      typed("array", { items: "text" }),
      [["f", "type-changed", true]],
    ],
    [
      "array of strings -> string narrows",
      typed("array", { items: "text" }),
      typed("text"),
      [["f", "type-changed", true]],
    ],
    [
      "string[] -> number[] narrows",
      typed("array", { items: "text" }),
      typed("array", { items: "number" }),
      [["f", "type-changed", true]],
    ],
    [
      "string[] -> json[] widens",
      typed("array", { items: "text" }),
      typed("array", { items: "json" }),
      [["f", "type-widened", false]],
    ],
    [
      "json[] -> string[] narrows",
      typed("array", { items: "json" }),
      typed("array", { items: "text" }),
      [["f", "type-changed", true]],
    ],
    [
      "text -> email keeps the TypeScript type (documentation)",
      typed("text"),
      typed("email"),
      [["f", "doc-changed", false]],
    ],
    // select options
    ["option added", select(["a"]), select(["a", "b"]), [["f", "option-added", false, "b"]]],
    ["option removed", select(["a", "b"]), select(["a"]), [["f", "option-removed", true, "b"]]],
    ["numeric option added", select([1, 2]), select([1, 2, 3]), [["f", "option-added", false, 3]]],
    ["numeric option removed", select([1, 2, 3]), select([1, 3]), [["f", "option-removed", true, 2]]],
    [
      'option 3 -> "3" is a removal and an addition',
      select(["1", 3]),
      select(["1", "3"]),
      [
        ["f", "option-added", false, "3"],
        ["f", "option-removed", true, 3],
      ],
    ],
    ["boolean option removed", select([true, false]), select([true]), [["f", "option-removed", true, false]]],
    [
      "options of a multiple select",
      select(["a", "b"], { multiple: true }),
      select(["a", "c"], { multiple: true }),
      [
        ["f", "option-added", false, "c"],
        ["f", "option-removed", true, "b"],
      ],
    ],
    [
      "option label changed",
      select(["a"]),
      [{ name: "f", type: "select", options: [{ name: "A!", value: "a" }] }],
      [["f", "doc-changed", false, "a"]],
    ],
    // multiple
    ["single -> multiple", select(["a"]), select(["a"], { multiple: true }), [["f", "multiple-changed", true]]],
    ["multiple -> single", select(["a"], { multiple: "true" }), select(["a"]), [["f", "multiple-changed", true]]],
    [
      "single -> multiselect with an option fewer",
      select(["a", "b"]),
      select(["a"], { type: "multiselect" }),
      [
        ["f", "multiple-changed", true],
        ["f", "option-removed", true, "b"],
      ],
    ],
    [
      "multiple select -> multiselect is the same type (the raw type name is documentation)",
      select(["a"], { multiple: true }),
      select(["a"], { type: "multiselect" }),
      [["f", "doc-changed", false]],
    ],
    [
      "multiple select -> array of select is the same type (the raw type name is documentation)",
      select(["a"], { multiple: true }),
      typed("array", { items: { type: "select", options: ["a"] } }),
      [["f", "doc-changed", false]],
    ],
    [
      "multiple select -> string[] widens",
      select(["a"], { multiple: true }),
      typed("array", { items: "text" }),
      [["f", "type-widened", false]],
    ],
    [
      "string[] -> multiple select narrows",
      typed("array", { items: "text" }),
      select(["a"], { multiple: true }),
      [["f", "type-changed", true]],
    ],
    // nested objects
    [
      "nested type narrowed",
      grid({ type: "number" }),
      grid({ type: "text" }),
      [["properties.grid_properties.row_count", "type-changed", true]],
    ],
    [
      "nested type widened",
      grid({ type: "number" }),
      grid({ type: "json" }),
      [["properties.grid_properties.row_count", "type-widened", false]],
    ],
    [
      "nested field made required",
      grid({ type: "number" }),
      grid({ type: "number", required: "true" }),
      [["properties.grid_properties.row_count", "field-required", true]],
    ],
    [
      "nested required field added",
      grid({ type: "number" }),
      grid({ type: "number" }, [{ name: "column_count", type: "number", required: true }]),
      [["properties.grid_properties.column_count", "field-added", true]],
    ],
    [
      "nested optional field added",
      grid({ type: "number" }),
      grid({ type: "number" }, [{ name: "column_count", type: "number" }]),
      [["properties.grid_properties.column_count", "field-added", false]],
    ],
    [
      "nested field removed",
      grid({ type: "number" }, [{ name: "column_count", type: "number" }]),
      grid({ type: "number" }),
      [["properties.grid_properties.column_count", "field-removed", true]],
    ],
    [
      "nested option removed and label changed",
      grid({ type: "select", options: ["a", "b"], label: "Rows" }),
      grid({ type: "select", options: ["a"], label: "Row count" }),
      [
        ["properties.grid_properties.row_count", "doc-changed", false],
        ["properties.grid_properties.row_count", "option-removed", true, "b"],
      ],
    ],
    [
      "nested fields given as a properties map with a required list",
      [{ name: "o", type: "object", properties: { a: { type: "text" } } }],
      [{ name: "o", type: "object", properties: { a: { type: "text" } }, required: ["a"] }],
      [["o.a", "field-required", true]],
    ],
    [
      "array of objects: items' fields by path",
      [{ name: "rows", type: "array", items: { type: "object", fields: [text("id"), text("name")] } }],
      [{ name: "rows", type: "array", items: { type: "object", fields: [text("id", { required: true })] } }],
      [
        ["rows[].id", "field-required", true],
        ["rows[].name", "field-removed", true],
      ],
    ],
    [
      "object -> json widens",
      [{ name: "o", type: "object", fields: [text("a")] }],
      typed("json").map((f) => ({ ...f, name: "o" })),
      [["o", "type-widened", false]],
    ],
    [
      "json -> object narrows",
      typed("json").map((f) => ({ ...f, name: "o" })),
      [{ name: "o", type: "object", fields: [text("a")] }],
      [["o", "type-changed", true]],
    ],
    [
      "object with an unknown field -> json narrows",
      [{ name: "o", type: "object", fields: [{ name: "x", type: "mystery" }] }],
      [{ name: "o", type: "json" }],
      [["o", "type-changed", true]],
    ],
    // documentation and defaults
    ["label changed", [text("a", { label: "A" })], [text("a", { label: "Ay" })], [["a", "doc-changed", false]]],
    [
      "description changed (help_text)",
      [text("a", { help_text: "x" })],
      [text("a", { description: "y" })],
      [["a", "doc-changed", false]],
    ],
    ["example changed", [text("a", { placeholder: "x" })], [text("a")], [["a", "doc-changed", false]]],
    ["default changed", [text("a", { default: 1 })], [text("a", { default: 2 })], [["a", "default-changed", false]]],
    ["default added", [text("a")], [text("a", { default: null })], [["a", "default-changed", false]]],
    // several at once, in (field, kind) order
    [
      "several changes sort by field then kind",
      [text("b"), text("a", { label: "x" }), text("c", { required: true })],
      [text("a", { label: "y", required: true }), text("c"), text("d")],
      [
        ["a", "doc-changed", false],
        ["a", "field-required", true],
        ["b", "field-removed", true],
        ["c", "field-optional", false],
        ["d", "field-added", false],
      ],
    ],
  ];

  it.each(cases)("%s", (_name, before, after, expected) => {
    expect(fieldRows(before, after)).toEqual(expected);
  });

  it("the reverse of every change is classified too (widening one way narrows the other)", () => {
    expect(fieldRows(typed("json"), typed("text"))).toEqual([["f", "type-changed", true]]);
    expect(fieldRows(typed("text"), typed("json"))).toEqual([["f", "type-widened", false]]);
    expect(fieldRows(select(["a", "b"]), select(["a"]))[0]?.[1]).toBe("option-removed");
    expect(fieldRows(select(["a"]), select(["a", "b"]))[0]?.[1]).toBe("option-added");
  });

  it("carries before and after values and readable messages", () => {
    const [type] = diffLocks(lockOf({ act: grid({ type: "number" }) }), lockOf({ act: grid({ type: "text" }) }), [
      APP,
    ]).changes;
    expect(type).toEqual({
      app: "app",
      action: "act",
      field: "properties.grid_properties.row_count",
      kind: "type-changed",
      breaking: true,
      message: 'field "properties.grid_properties.row_count" type changed from number to string',
      before: "number",
      after: "string",
    });
    const [option] = diffLocks(lockOf({ act: select([1, 2, 3]) }), lockOf({ act: select([1, 3]) }), [APP]).changes;
    expect(option).toMatchObject({ option: 2, message: 'field "f" option 2 removed' });
    const [required] = diffLocks(lockOf({ act: [text("a")] }), lockOf({ act: [text("a", { required: "true" })] }), [
      APP,
    ]).changes;
    expect(required).toMatchObject({ before: false, after: true, message: 'field "a" is now required' });
    const [def] = diffLocks(lockOf({ act: [text("a", { default: 1 })] }), lockOf({ act: [text("a")] }), [APP]).changes;
    expect(def).toMatchObject({
      kind: "default-changed",
      before: 1,
      message: 'field "a" default changed from 1 to none',
    });
    expect(def).not.toHaveProperty("after");
  });
});

describe("action- and app-level classifications", () => {
  const actions = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, [text("x")]]));

  it("action added is not breaking, action removed is", () => {
    const result = diffLocks(lockOf(actions("a", "b")), lockOf(actions("b", "c")), [APP]);
    expect(rows(result.changes)).toEqual([
      [undefined, "action-removed", true],
      [undefined, "action-added", false],
    ]);
    expect(result.changes.map((c) => c.action)).toEqual(["a", "c"]);
    expect(result.changes[0]).not.toHaveProperty("field");
    expect(result.breaking).toBe(1);
  });

  it("an action's name and description are documentation", () => {
    const before = lockOf(actions("a"), [{ action_id: "a", name: "Old", description: "d1" }]);
    const after = lockOf(actions("a"), [{ action_id: "a", name: "New", description: "d2", tag: "changed too" }]);
    const result = diffLocks(before, after, [APP]);
    expect(result.changes.map((c) => [c.action, c.field, c.kind, c.breaking, c.before, c.after])).toEqual([
      ["a", undefined, "doc-changed", false, "d1", "d2"],
      ["a", undefined, "doc-changed", false, "Old", "New"],
    ]);
    expect(result.breaking).toBe(0);
  });

  it("sees a hand edit that left the entry's recorded hash as it was", () => {
    const before = lockOf({ act: [text("a")] });
    const after = structuredClone(before);
    const entry = after.apps["app"];
    if (!entry) throw new Error("app");
    entry.parameters["act"] = [text("a", { required: true })];
    expect(entry.hash).toBe(before.apps["app"]?.hash);
    expect(rows(diffLocks(before, after, [APP]).changes)).toEqual([["a", "field-required", true]]);
  });

  it("app added and app removed, for configured apps only", () => {
    const one = lockOf(actions("a"), undefined, "one");
    const two = lockOf(actions("a", "b"), undefined, "two");
    const apps: AppConfig[] = [
      { slug: "two", kinds: {} },
      { slug: "one", kinds: {} },
    ];
    const changes = diffLocks(one, two, apps).changes;
    rows(changes);
    expect(changes).toEqual([
      { app: "one", kind: "app-removed", breaking: true, message: 'app "one" removed with its 1 action' },
      { app: "two", kind: "app-added", breaking: false, message: 'app "two" added with 2 actions' },
    ]);
    expect(diffLocks(one, two, [{ slug: "elsewhere", kinds: {} }]).changes).toEqual([]);
  });

  it("compares only the actions include/exclude select, on both sides", () => {
    const before = lockOf({ keep: [text("a")], skip: [text("a")], gone: [] });
    const after = lockOf({ keep: [text("a", { required: true })], skip: [], fresh: [] });
    const all = diffLocks(before, after, [APP]).changes.map((c) => `${c.action} ${c.kind}`);
    expect(all).toEqual(["fresh action-added", "gone action-removed", "keep field-required", "skip field-removed"]);
    const excluded = diffLocks(before, after, [{ ...APP, exclude: ["skip", "fresh"] }]).changes;
    expect(excluded.map((c) => `${c.action} ${c.kind}`)).toEqual(["gone action-removed", "keep field-required"]);
    const included = diffLocks(before, after, [{ ...APP, include: ["keep", "gone"] }]).changes;
    expect(included.map((c) => `${c.action} ${c.kind}`)).toEqual(["gone action-removed", "keep field-required"]);
    expect(diffLocks(before, after, [{ ...APP, include: ["keep"], exclude: ["keep"] }]).changes).toEqual([]);
  });

  it("skips the parameters of an action one lock never pulled", () => {
    const before = buildLock({ app: lockApp({ actions: [{ action_id: "a" }], parameters: {} }) });
    expect(diffLocks(before, lockOf({ a: [text("x", { required: true })] }), [APP]).changes).toEqual([]);
  });

  it("is deterministic: the API's order of actions and fields does not matter, and sorting is by code unit", () => {
    const ids = ["b", "a", "B", "é", "a_b", "A"];
    const before = lockOf(Object.fromEntries(ids.map((id) => [id, [text("z"), text("y")]])));
    const after = lockOf(Object.fromEntries([...ids].reverse().map((id) => [id, [text("Y", { required: true })]])));
    const first = diffLocks(before, after, [APP]);
    const second = diffLocks(before, after, [APP]);
    expect(second).toEqual(first);
    const keys = first.changes.map((c) => [c.action ?? "", c.field ?? "", c.kind]);
    const byCodeUnit = (x: string[], y: string[]) => {
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string) ? -1 : 1;
      return 0;
    };
    expect(keys).toEqual([...keys].sort(byCodeUnit));
    expect([...new Set(first.changes.map((c) => c.action))]).toEqual(["A", "B", "a", "a_b", "b", "é"]);
    expect(first.breaking).toBe(first.changes.filter((c) => c.breaking).length);
  });

  it("the same lock gives no change, even under a key like __proto__", () => {
    const lock = buildLock({
      ["__proto__"]: lockApp({ actions: [{ action_id: "constructor" }], parameters: { constructor: [text("a")] } }),
    });
    expect(diffLocks(lock, lock, [{ slug: "__proto__", kinds: {} }])).toEqual({ changes: [], breaking: 0 });
    const other = lockOf({}, [], "__proto__");
    expect(rows(diffLocks(lock, other, [{ slug: "__proto__", kinds: {} }]).changes)).toEqual([
      [undefined, "action-removed", true],
    ]);
  });
});

it("every documented lock kind is produced by some fixture above, and no other (result kinds: test/results)", () => {
  expect([...produced].sort()).toEqual(CHANGE_KINDS.filter((kind) => !kind.startsWith("result-")).sort());
});

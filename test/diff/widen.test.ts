// The widening relation on normalized types, both ways: old ⊆ new is safe, anything else is breaking.
// Parameter objects are closed, so a field more (even optional) is not accepted by the narrower object.
import { describe, expect, it } from "vitest";
import { equalType, widens } from "../../generator/diff/index.js";
import type { Field, TypeNode } from "../../generator/model/types.js";

const string: TypeNode = { kind: "string" };
const number: TypeNode = { kind: "number" };
const boolean: TypeNode = { kind: "boolean" };
const json: TypeNode = { kind: "json" };
const unknown: TypeNode = { kind: "unknown" };
const select = (...values: (string | number | boolean)[]): TypeNode => ({ kind: "enum", values, multiple: false });
const multi = (...values: (string | number | boolean)[]): TypeNode => ({ kind: "enum", values, multiple: true });
const array = (items: TypeNode): TypeNode => ({ kind: "array", items });
const field = (name: string, type: TypeNode, required = false): Field => ({ name, type, required, rawType: "" });
const object = (...fields: Field[]): TypeNode => ({ kind: "object", fields });

// [name, old, new, old -> new widens, new -> old widens]
const cases: [string, TypeNode, TypeNode, boolean, boolean][] = [
  ["string / json", string, json, true, false],
  ["number / json", number, json, true, false],
  ["boolean / unknown", boolean, unknown, true, false],
  ["json / unknown", json, unknown, true, false],
  ["string / number", string, number, false, false],
  ["number / boolean", number, boolean, false, false],
  ["string select / string", select("a", "b"), string, true, false],
  ["numeric select / number", select(1, 2), number, true, false],
  ["mixed select / string", select("1", 2), string, false, false],
  ["boolean select / boolean", select(true), boolean, true, false],
  ["select / larger select", select("a"), select("a", "b"), true, false],
  ['select 3 / select "3"', select(3), select("3"), false, false],
  ["select / json", select("a", 1, true), json, true, false],
  ["single / multiple select", select("a"), multi("a"), false, false],
  ["multiple select / array of select", multi("a", "b"), array(select("a", "b")), true, true],
  ["multiple select / string[]", multi("a"), array(string), true, false],
  ["string / string[]", string, array(string), false, false],
  ["string[] / json[]", array(string), array(json), true, false],
  ["string[] / json", array(string), json, true, false],
  ["unknown[] / json", array(unknown), json, false, false],
  ["object / json", object(field("a", string)), json, true, false],
  ["object with unknown / json", object(field("a", unknown)), json, false, false],
  ["object / open object", object(field("a", string)), object(), true, false],
  [
    "object / same object plus optional",
    object(field("a", string)),
    object(field("a", string), field("b", number)),
    true,
    false,
  ],
  [
    "object / same object plus required",
    object(field("a", string)),
    object(field("a", string), field("b", number, true)),
    false,
    false,
  ],
  ["object / field made optional", object(field("a", string, true)), object(field("a", string)), true, false],
  ["object / nested field widened", object(field("a", select("x"))), object(field("a", string)), true, false],
];

describe("widens", () => {
  it.each(cases)("%s", (_name, before, after, forward, backward) => {
    expect(widens(before, after)).toBe(forward);
    expect(widens(after, before)).toBe(backward);
  });

  it("every type widens to itself", () => {
    for (const [, before, after] of cases) {
      expect(widens(before, before)).toBe(true);
      expect(widens(after, after)).toBe(true);
    }
  });
});

describe("equalType", () => {
  it("ignores option order, field order and documentation, but not requiredness", () => {
    expect(equalType(select("a", "b"), select("b", "a"))).toBe(true);
    expect(
      equalType(object(field("a", string), field("b", number)), object(field("b", number), field("a", string))),
    ).toBe(true);
    expect(
      equalType(object({ ...field("a", string), label: "x" }), object({ ...field("a", string), label: "y" })),
    ).toBe(true);
    expect(equalType(object(field("a", string)), object(field("a", string, true)))).toBe(false);
    expect(equalType(select(1), select("1"))).toBe(false);
    expect(equalType(multi("a"), array(select("a")))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { normalizeParameters } from "../../generator/model/fields.js";
import type { TypeNode } from "../../generator/model/types.js";

const where = { app: "app", action: "act" };
const typeOf = (param: Record<string, unknown>): TypeNode => {
  const { fields } = normalizeParameters([{ name: "f", label: "F", required: false, ...param }], where);
  return (fields[0] as { type: TypeNode }).type;
};

describe("type mapping", () => {
  const cases: [string, Record<string, unknown>, TypeNode][] = [
    ["text", { type: "text" }, { kind: "string" }],
    ["email", { type: "email" }, { kind: "string" }],
    ["url", { type: "url" }, { kind: "string" }],
    ["textarea", { type: "textarea" }, { kind: "string" }],
    ["password", { type: "password" }, { kind: "string" }],
    ["date", { type: "date" }, { kind: "string" }],
    ["number", { type: "number" }, { kind: "number" }],
    ["boolean", { type: "boolean" }, { kind: "boolean" }],
    ["json", { type: "json" }, { kind: "json" }],
    ["type in upper case", { type: "TEXT" }, { kind: "string" }],
    [
      "select",
      { type: "select", options: [{ name: "A", value: "a" }, { value: "b" }] },
      { kind: "enum", values: ["a", "b"], multiple: false },
    ],
    [
      "select multiple",
      { type: "select", multiple: true, options: [{ value: "a" }] },
      { kind: "enum", values: ["a"], multiple: true },
    ],
    [
      "select with duplicates and numbers",
      { type: "select", options: [{ value: "a" }, { value: "a" }, { value: 1 }, { value: "1" }, { value: null }] },
      { kind: "enum", values: ["a", 1, "1"], multiple: false },
    ],
    ["select without options", { type: "select" }, { kind: "string" }],
    [
      "select of bare values",
      { type: "select", options: ["x", "y"] },
      { kind: "enum", values: ["x", "y"], multiple: false },
    ],
    ["object without fields", { type: "object" }, { kind: "json" }],
    ["array without items", { type: "array" }, { kind: "array", items: { kind: "json" } }],
    ["array of text", { type: "array", items: { type: "text" } }, { kind: "array", items: { kind: "string" } }],
    ["array of type string", { type: "array", items: "number" }, { kind: "array", items: { kind: "number" } }],
    ["unknown type", { type: "file" }, { kind: "unknown" }],
    ["missing type", {}, { kind: "unknown" }],
  ];
  it.each(cases)("%s", (_name, param, expected) => expect(typeOf(param)).toEqual(expected));

  it("nests object fields from a list or a map", () => {
    expect(typeOf({ type: "object", fields: [{ name: "a", type: "number", required: true }] })).toEqual({
      kind: "object",
      fields: [{ name: "a", type: { kind: "number" }, rawType: "number", required: true }],
    });
    const fromMap = typeOf({ type: "object", properties: { a: { type: "text" }, b: "boolean" }, required: ["b"] });
    expect(fromMap).toMatchObject({
      kind: "object",
      fields: [
        { name: "a", required: false },
        { name: "b", required: true, type: { kind: "boolean" } },
      ],
    });
  });

  it("nests array item objects", () => {
    expect(typeOf({ type: "array", items: { type: "object", fields: [{ name: "x", type: "text" }] } })).toMatchObject({
      kind: "array",
      items: { kind: "object", fields: [{ name: "x", type: { kind: "string" } }] },
    });
  });

  it("stops at a safe depth", () => {
    let param: Record<string, unknown> = { name: "leaf", type: "text" };
    for (let i = 0; i < 100; i++) param = { name: `n${i}`, type: "object", fields: [param] };
    const { diagnostics } = normalizeParameters([param], where);
    expect(diagnostics.map((d) => d.code)).toContain("too-deep");
  });
});

describe("normalizeParameters", () => {
  it("accepts { parameters: [...] }", () => {
    expect(normalizeParameters({ parameters: [{ name: "a", type: "text" }] }, where).fields).toHaveLength(1);
  });

  it.each([
    [true, true],
    ["true", true],
    ["TRUE", true],
    [1, true],
    ["false", false],
    [0, false],
    [undefined, false],
    ["yes", false],
  ])("required %j -> %s", (required, expected) => {
    expect(normalizeParameters([{ name: "a", type: "text", required }], where).fields[0]?.required).toBe(expected);
  });

  it("keeps the first of duplicate fields and warns", () => {
    const { fields, diagnostics } = normalizeParameters(
      [
        { name: "a", type: "text" },
        { name: "a", type: "number" },
      ],
      where,
    );
    expect(fields).toEqual([expect.objectContaining({ name: "a", type: { kind: "string" } })]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: "duplicate-field", app: "app", action: "act", field: "a" }),
    ]);
  });

  it("warns once per unknown type, naming app, action and field", () => {
    const { diagnostics } = normalizeParameters([{ name: "upload", type: "file" }], where);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "unknown-type",
        app: "app",
        action: "act",
        field: "upload",
      }),
    ]);
  });

  it("skips nameless entries with a warning", () => {
    const { fields, diagnostics } = normalizeParameters(
      [{ type: "text" }, "x", null, { name: "ok", type: "text" }],
      where,
    );
    expect(fields.map((f) => f.name)).toEqual(["ok"]);
    expect(diagnostics).toHaveLength(3);
  });

  it.each([[{}], ["html"], [null], [42]])("rejects %j as an error", (raw) => {
    expect(normalizeParameters(raw, where).diagnostics).toEqual([
      expect.objectContaining({ severity: "error", code: "bad-parameters" }),
    ]);
  });

  it("keeps hostile names exactly", () => {
    const names = ["__proto__", "constructor", "first-name", 'a"b', "x*/y", "🚀"];
    const { fields } = normalizeParameters(
      names.map((name) => ({ name, type: "text" })),
      where,
    );
    expect(fields.map((f) => f.name)).toEqual(names);
  });
});

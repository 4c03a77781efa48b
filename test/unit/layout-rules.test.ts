// The layout checker (test/helpers/layout.ts) finds what it is meant to find: a checker that passes
// everything would make the layout tests pass for any output.
import { describe, expect, it } from "vitest";
import { LINE_LIMIT } from "../../generator/emit/writer.js";
import { layoutProblems } from "../helpers/layout.js";

const long = (n: number) => Array.from({ length: n }, (_, i) => `"value_${i}"`);

describe("layoutProblems", () => {
  it("passes the writer's own shapes", () => {
    const members = long(12);
    const source = [
      "export interface X {",
      "  /** A label */",
      "  a?: string;",
      "  /**",
      "   * Two",
      "   * lines",
      "   */",
      `  b: ${members.slice(0, 3).join(" | ")};`,
      "  c:",
      ...members.map((member, at) => `    | ${member}${at === members.length - 1 ? ";" : ""}`),
      "  d: readonly (",
      ...members.map((member) => `    | ${member}`),
      "  )[];",
      "  e: readonly {",
      "    f: string;",
      "  }[];",
      "}",
      "",
      'const actions = defineApp<X>("x", {',
      '  a: \'["a","read","A",""]\',',
      "});",
      "",
    ].join("\n");
    expect(layoutProblems(source)).toEqual([]);
  });

  it("passes a union member too long for any line on a line of its own", () => {
    const source = `export interface X {\n  a:\n    | 0\n    | "${"x".repeat(130)}";\n}\n`;
    expect(layoutProblems(source)).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    ["a syntax error", "export interface X {\n  a: ;\n}\n", /syntax error/],
    ["no final newline", "export type X = string;", /one newline/],
    ["a trailing space", "export type X = string; \n", /trailing space/],
    ["two blank lines", "export type X = string;\n\n\nexport type Y = string;\n", /two blank lines/],
    ["a member indented wrongly", "export interface X {\n   a: string;\n}\n", /indented 3, expected 2/],
    ["a closer indented wrongly", "export interface X {\n  a: string;\n  }\n", /indented 2, expected 0/],
    ["a call's object indented twice", 'f("x", {\n    a: 1,\n});\n', /indented 4, expected 2/],
    [
      "a JSDoc line without its star",
      "export interface X {\n  /**\n   text\n   * more\n   */\n  a: string;\n}\n",
      /start with/,
    ],
    [
      "one line of JSDoc as a block",
      "export interface X {\n  /**\n   * One\n   */\n  a: string;\n}\n",
      /one line of text/,
    ],
    [
      "a union too long for its line",
      `export interface X {\n  a: ${long(12).join(" | ")};\n}\n`,
      new RegExp(`longer than ${LINE_LIMIT}`),
    ],
    ["a short union broken", 'export interface X {\n  a:\n    | "x"\n    | "y";\n}\n', /one member per line that fits/],
    ["union members indented as members", 'export interface X {\n  a:\n  | "x"\n  | "y";\n}\n', /expected 4/],
  ])("finds %s", (_name, source, problem) => {
    expect(layoutProblems(source).join("\n")).toMatch(problem);
  });
});

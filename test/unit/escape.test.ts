import ts from "typescript";
import { describe, expect, it } from "vitest";
import { docLines, jsonLiteral, propertyKey, stringLiteral } from "../../generator/emit/escape.js";

const hostile = [
  "plain",
  'a"b',
  "a'b",
  `both " and ' and ""`,
  "back\\slash",
  "line\nbreak\r\nand\rcr",
  "sep\u2028and\u2029",
  "nul\u0000bell\u0007",
  "bidi \u202e reversed \u2066 isolate",
  "emoji 🚀 and lone \ud800 surrogate",
  "${template} `tick`",
  "*/ close comment",
  "</script>",
];

describe("stringLiteral", () => {
  it.each(hostile)("round-trips %j, in the quotes that need fewer escapes", (text) => {
    const literal = stringLiteral(text);
    expect(eval(literal)).toBe(text);
    const doubles = text.split('"').length - 1;
    const singles = text.split("'").length - 1;
    expect(literal[0]).toBe(doubles > singles ? "'" : '"');
  });

  it("never emits a raw line terminator or bidi control", () => {
    for (const text of hostile) expect(stringLiteral(text)).not.toMatch(/[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});

describe("jsonLiteral", () => {
  it.each(hostile)("holds JSON whose strings come back exactly: %j", (text) => {
    const row = [text, ["!e", text, 1e21, -0.5, true], [text, [text]]];
    const literal = jsonLiteral(row);
    expect(JSON.parse(eval(literal) as string)).toEqual(row);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });

  it("refuses a value without JSON text", () => {
    expect(() => jsonLiteral(undefined)).toThrow(/no JSON text/);
  });
});

describe("docLines", () => {
  it.each([
    ["ends */ early", ["ends *\\/ early"]],
    ["a\r\nb\rc\u2028d", ["a", "b", "c", "d"]],
    ["@deprecated do not use", ["\uff20deprecated do not use"]],
    ["mail me at x@y.com", ["mail me at x@y.com"]],
    ["see {@link evil}", ["see {\uff20link evil}"]],
    ["hidden \u202e bidi\u0000", ["hidden  bidi"]],
  ])("%j", (text, lines) => expect(docLines(text)).toEqual(lines));
});

describe("propertyKey", () => {
  it.each([
    ["email", "email"],
    ["first-name", '"first-name"'],
    ['a"b', `'a"b'`],
    ["__proto__", "__proto__"],
    ["1abc", '"1abc"'],
    ["café", '"café"'],
    ["$ok_1", "$ok_1"],
  ])("%s -> %s", (name, key) => expect(propertyKey(name)).toBe(key));

  it("gives TypeScript exactly the names, quoted and bare keys mixed", () => {
    const names = [
      "email",
      "first-name",
      "__proto__",
      "x*/y",
      "🚀",
      "a'b",
      "constructor",
      "line\u2028sep",
      "lone\ud800",
    ];
    const source = `interface X {\n${names.map((n) => `  ${propertyKey(n)}?: string;`).join("\n")}\n}\n`;
    const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.Latest);
    const [declaration] = file.statements as unknown as ts.InterfaceDeclaration[];
    expect(declaration?.members.map((member) => (member.name as ts.Identifier | ts.StringLiteral).text)).toEqual(names);
  });
});

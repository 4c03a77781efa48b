// The code's shape as ARCHITECTURE.md promises it: folders that show the pipeline, no long function in generator/,
// and no import circle anywhere in generator/, templates/ or bench/ (type-only imports count: a circle of types is
// still two modules that cannot be read one without the other).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve("generator");
const MAX_FUNCTION_LINES = 60;

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "peers" ? [] : modules(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const parse = (path: string) => ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
const sources = modules(ROOT).map(parse);
const everything = ["generator", "templates", "bench"].flatMap((dir) => modules(resolve(dir))).map(parse);

/** Imports (and re-exports) of one module, type-only ones too, as absolute paths of the .ts files they name. */
function imports(source: ts.SourceFile): string[] {
  const found: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith("."))
      found.push(resolve(dirname(source.fileName), specifier.text.replace(/\.js$/, ".ts")));
  }
  return found;
}

describe("generator/", () => {
  it("holds only the programmatic API, the bin and the published config schema at its top level", () => {
    const files = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((entry) => entry.name).sort()).toEqual(["cli.ts", "config.schema.json", "index.ts"]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const source of sources) {
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (last - first + 1 > MAX_FUNCTION_LINES) long.push(`${relative(ROOT, source.fileName)}:${first + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});

describe("generator/, templates/ and bench/", () => {
  it("have no import circle, type-only imports included", () => {
    const graph = new Map(everything.map((source) => [source.fileName, imports(source)]));
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const walk = (module: string, path: string[]): void => {
      state.set(module, "open");
      for (const next of graph.get(module) ?? []) {
        if (state.get(next) === "open")
          circles.push([...path.slice(path.indexOf(next)), next].map((m) => relative(".", m)).join(" -> "));
        else if (state.get(next) === undefined && graph.has(next)) walk(next, [...path, next]);
      }
      state.set(module, "done");
    };
    for (const module of graph.keys()) if (state.get(module) === undefined) walk(module, [module]);
    expect(circles).toEqual([]);
  });
});

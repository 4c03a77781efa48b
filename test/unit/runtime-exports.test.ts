// The model reserves the runtime index's exports (generator/model/runtime-exports.ts) without reading the
// templates; this holds that list equal to what the TypeScript compiler finds templates/runtime/index.ts exporting.
import { resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { RUNTIME_EXPORTS } from "../../generator/model/runtime-exports.js";

function exportsOf(file: string): string[] {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    types: [],
  });
  const source = program.getSourceFile(file);
  const symbol = source && program.getTypeChecker().getSymbolAtLocation(source);
  if (symbol === undefined) throw new Error(`no module symbol for ${file}`);
  return program
    .getTypeChecker()
    .getExportsOfModule(symbol)
    .map((exported) => exported.name)
    .sort();
}

describe("RUNTIME_EXPORTS", () => {
  it("lists exactly what the runtime's index exports (after changing templates/runtime/index.ts, update it)", () => {
    expect([...RUNTIME_EXPORTS].sort()).toEqual(exportsOf(resolve("templates/runtime/index.ts")));
  });
});

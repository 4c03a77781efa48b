// The model reserves the names the generated index declares and the root client's members (model/naming.ts)
// without reading the emitter; this holds those lists equal to what the emitted index holds.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emitIndexModule } from "../../generator/emit/index-module.js";
import { INDEX_NAMES, ROOT_MEMBERS } from "../../generator/model/naming.js";

const source = ts.createSourceFile("index.ts", emitIndexModule([]).source, ts.ScriptTarget.ES2022, true);

function declared(): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) names.push(declaration.name.getText());
    } else if ((ts.isInterfaceDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) {
      names.push(statement.name.text);
    }
  }
  return names.sort();
}

function members(interfaceName: string): string[] {
  const found = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === interfaceName,
  );
  return (found?.members ?? []).map((member) => member.name?.getText() ?? "");
}

describe("the names the model reserves for the index", () => {
  it("are exactly the names the emitted index declares", () => {
    expect(declared()).toEqual([...INDEX_NAMES].sort());
  });

  it("include every member the root client has beside the apps", () => {
    expect([...members("Refold"), ...members("RefoldAccount")].sort()).toEqual([...ROOT_MEMBERS].sort());
  });
});

describe("an app whose slug is a file the output already uses", () => {
  it("gets its own module file (an app called mcp beside the MCP server's mcp.ts)", async () => {
    const { buildModel } = await import("../../generator/model/build.js");
    const { lockFromCatalog, sampleCatalog } = await import("../helpers/project.js");
    const sample = await sampleCatalog();
    const hubspot = sample.apps["hubspot"];
    if (hubspot === undefined) throw new Error("the sample catalog has no hubspot");
    const lock = lockFromCatalog({ apps: { mcp: hubspot, runtime: hubspot, index: hubspot } });
    const { model } = buildModel(
      lock,
      ["index", "mcp", "runtime"].map((slug) => ({ slug, kinds: {} })),
    );
    for (const app of model.apps) expect(["index", "mcp", "runtime"]).not.toContain(app.file);
  });
});

// Shapes at the sizes issue 4 names: an app with 500 actions, an action with 300 fields, deep nesting.
import { describe, expect, it } from "vitest";
import { layoutProblems } from "../helpers/layout.js";
import { renderCatalog, type Catalog, linkedProject } from "../helpers/project.js";
import { compile } from "../helpers/tsc.js";

const TYPES = ["text", "number", "boolean", "json", "email", "date"];

function largeCatalog(): Catalog {
  const actions = Array.from({ length: 500 }, (_, i) => ({
    action_id: `action_${String(i).padStart(3, "0")}`,
    name: `Action ${i}`,
  }));
  const parameters: Record<string, unknown> = {};
  for (const [i, action] of actions.entries())
    parameters[action.action_id] = [{ name: "id", type: "text", required: i % 2 === 0 }];
  parameters["action_000"] = Array.from({ length: 300 }, (_, i) => ({
    name: `field_${i}`,
    label: `Field ${i}`,
    required: i % 7 === 0,
    type: TYPES[i % TYPES.length],
  }));
  let deep: Record<string, unknown> = { name: "leaf", type: "text", required: true };
  for (let depth = 0; depth < 20; depth++) deep = { name: `level_${depth}`, type: "object", fields: [deep] };
  parameters["action_001"] = [deep];
  return { apps: { big: { actions, parameters } } };
}

describe("large shapes", () => {
  it("generate, follow the layout rules, and compile under strict NodeNext", async () => {
    const { model, diagnostics, files } = await renderCatalog(largeCatalog());
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(model.apps[0]?.actions).toHaveLength(500);
    const module = files.get("big.ts") ?? "";
    expect(module).toContain("field_0: string;"); // required, text
    expect(module).toContain("field_299?: string;"); // optional, date
    expect(layoutProblems(module)).toEqual([]);
    // 20 nested objects: the leaf is a member 21 levels deep, each level a block of its own.
    expect(module).toContain(`\n${" ".repeat(42)}leaf: string;\n`);

    const dir = await linkedProject("large", {
      files: Object.fromEntries([...files].map(([path, text]) => [`out/${path}`, text])),
    });
    await compile(dir, ["out/**/*.ts"], "NodeNext");
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { hostileCatalog } from "../fixtures/hostile.js";
import { shapesCatalog } from "../fixtures/shapes.js";
import { layoutProblems } from "../helpers/layout.js";
import { compile } from "../helpers/tsc.js";
import { renderCatalog, sampleCatalog, type Catalog, linkedProject } from "../helpers/project.js";
import { seededShuffle } from "../../generator/mock/shuffle.js";

const generateFrom = (catalog: Catalog) => renderCatalog(catalog);

const shuffled = <T>(items: readonly T[], seed: number): T[] => seededShuffle(items, seed, "test");

describe("emitted modules", () => {
  // The sample catalog's snapshot is the committed generated/ itself (test/e2e compares it byte for byte).
  it("match the snapshots for the hostile catalog", async () => {
    const { files } = await generateFrom(hostileCatalog);
    for (const [path, content] of files) {
      if (path.startsWith("runtime/")) continue;
      await expect(content).toMatchFileSnapshot(`snapshots/hostile-${path}`);
    }
  });

  it("match the snapshots for the shapes catalog (every layout rule at its edges)", async () => {
    const { files } = await generateFrom(shapesCatalog);
    for (const [path, content] of files) {
      if (path.startsWith("runtime/") || !path.endsWith(".ts")) continue;
      await expect(content).toMatchFileSnapshot(`snapshots/shapes-${path}`);
    }
  });

  it("follow the writer's layout rules (test/helpers/layout.ts), hostile input included", async () => {
    for (const catalog of [await sampleCatalog(), hostileCatalog, shapesCatalog]) {
      const { files } = await generateFrom(catalog);
      for (const [path, content] of files) {
        if (path.endsWith(".ts") && !path.startsWith("runtime/")) expect(layoutProblems(content), path).toEqual([]);
      }
    }
  });

  it("are byte-identical whatever order the API lists actions in", async () => {
    const base = await generateFrom(await sampleCatalog());
    const catalog = await sampleCatalog();
    for (const app of Object.values(catalog.apps)) app.actions = shuffled(app.actions, 7);
    const again = await generateFrom({ apps: Object.fromEntries(shuffled(Object.entries(catalog.apps), 3)) });
    expect([...again.files]).toEqual([...base.files]);
  });

  it("give hostile actions distinct, safe names and keep wire names exact", async () => {
    const { model, diagnostics } = await generateFrom(hostileCatalog);
    const app = model.apps.find((a) => a.slug === "evil-app");
    const methods = app?.actions.map((a) => a.method) ?? [];
    expect(new Set(methods).size).toBe(methods.length);
    for (const method of methods) expect(method).toMatch(/^[A-Za-z_$][\w$]*$/);
    expect(app?.actions.map((a) => a.id).sort()).toEqual(
      Object.keys(hostileCatalog.apps["evil-app"]?.parameters ?? {}).sort(),
    );
    expect(methods).toContain("then_");
    expect(model.apps.find((a) => a.slug === "then")?.property).toBe("then_");
    const codes = diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(["name-collision", "duplicate-field", "unknown-type"]));
  });

  it("compile under strict NodeNext and Bundler, hostile input and every shape included", async () => {
    const { files } = await generateFrom({ apps: { ...hostileCatalog.apps, ...shapesCatalog.apps } });
    const dir = await linkedProject("emit", {
      files: Object.fromEntries([...files].map(([path, text]) => [`out/${path}`, text])),
    });
    await compile(dir, ["out/**/*.ts"], "NodeNext");
    await compile(dir, ["out/**/*.ts"], "Bundler");
  });
});

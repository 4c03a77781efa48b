import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { emitFiles } from "../../generator/emit/files.js";
import { buildModel } from "../../generator/model/build.js";
import { renderOutput } from "../../generator/render.js";
import { OUTPUT_PRETTIER_OPTIONS } from "../../generator/write/format.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { compile } from "../helpers/tsc.js";
import { lockFromCatalog, sampleCatalog, type Catalog } from "../helpers/project.js";

async function generateFrom(catalog: Catalog) {
  const lock = lockFromCatalog(catalog);
  const { model, diagnostics } = buildModel(
    lock,
    Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
  );
  return { model, diagnostics, files: await renderOutput(model) };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("emitted modules", () => {
  // The sample catalog's snapshot is the committed generated/ itself (test/e2e compares it byte for byte).
  it("match the snapshots for the hostile catalog", async () => {
    const { files } = await generateFrom(hostileCatalog);
    for (const [path, content] of files) {
      if (path.startsWith("runtime/")) continue;
      // The cache key line hashes the generator's own code, so it changes with every edit of it: leave it out.
      await expect(content.replace(/\/\/ refold-codegen-key: .*\n$/, "")).toMatchFileSnapshot(
        `snapshots/hostile-${path}`,
      );
    }
  });

  it("are laid out exactly as prettier would, so formatting can be skipped (unless marked unsure)", async () => {
    for (const catalog of [await sampleCatalog(), hostileCatalog]) {
      const lock = lockFromCatalog(catalog);
      const { model } = buildModel(
        lock,
        Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
      );
      const emitted = await emitFiles(model);
      for (const [path, content] of emitted.files) {
        // Runtime files are copied verbatim and never formatted: they must already be laid out.
        if (!path.endsWith(".ts") || emitted.unsure.has(path)) continue;
        expect(await format(content, OUTPUT_PRETTIER_OPTIONS), path).toBe(content);
      }
      if (catalog !== hostileCatalog) expect([...emitted.unsure]).toEqual([]);
    }
  });

  it("are prettier-stable after the format stage, hostile input included", async () => {
    const { files } = await generateFrom(hostileCatalog);
    for (const [path, content] of files) {
      if (path.endsWith(".ts")) expect(await format(content, OUTPUT_PRETTIER_OPTIONS), path).toBe(content);
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

  it("compile under strict NodeNext and Bundler, hostile input included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "refold-emit-"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const { symlink } = await import("node:fs/promises");
    await symlink(join(process.cwd(), "node_modules"), join(dir, "node_modules"), "dir");
    const { files } = await generateFrom(hostileCatalog);
    for (const [path, content] of files) {
      await mkdir(dirname(join(dir, "out", path)), { recursive: true });
      await writeFile(join(dir, "out", path), content);
    }
    await compile(dir, ["out/**/*.ts"], "NodeNext");
    await compile(dir, ["out/**/*.ts"], "Bundler");
  });
});

describe("incremental rendering", () => {
  async function render(catalog: Catalog, previous?: ReadonlyMap<string, string>) {
    const lock = lockFromCatalog(catalog);
    const { model } = buildModel(
      lock,
      Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
    );
    return renderOutput(model, previous);
  }

  it("reuses unchanged app modules and stays byte-identical to a cold run", async () => {
    const catalog = await sampleCatalog();
    const cold = await render(catalog);
    const changed = structuredClone(catalog);
    const slack = changed.apps["slack"];
    if (!slack) throw new Error("the sample has slack");
    slack.actions.push({ action_id: "pin_message", name: "Pin Message", description: "Pin a message" });
    slack.parameters["pin_message"] = [{ name: "channel", label: "Channel", required: true, type: "text" }];
    const warm = await render(changed, cold);
    expect([...warm]).toEqual([...(await render(changed))]);
    expect(warm.get("slack.ts")).not.toBe(cold.get("slack.ts"));
    expect(warm.get("slack.ts")).toContain("pinMessage");
    expect(warm.get("hubspot.ts")).toBe(cold.get("hubspot.ts"));
  });

  it("rewrites a hand-edited module whose key line was kept", async () => {
    const catalog = await sampleCatalog();
    const cold = await render(catalog);
    const edited = new Map(cold);
    edited.set("jira.ts", (cold.get("jira.ts") ?? "").replace("issue_key: string;", "issue_key: number;"));
    const again = await render(catalog, edited);
    expect(again.get("jira.ts")).toBe(cold.get("jira.ts"));
  });

  it("ends every app module with its cache key line", async () => {
    const cold = await render(await sampleCatalog());
    expect(cold.get("hubspot.ts")).toMatch(/\n\/\/ refold-codegen-key: sha256-[0-9a-f]{64} [0-9a-f]{16}\n$/);
  });
});

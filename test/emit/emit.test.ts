import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitFiles } from "../../generator/emit/files.js";
import { buildModel } from "../../generator/model/build.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { shapesCatalog } from "../fixtures/shapes.js";
import { layoutProblems } from "../helpers/layout.js";
import { compile } from "../helpers/tsc.js";
import { viewLockBytes, viewLock } from "../../generator/lock/view.js";
import { serializeLock } from "../../generator/lock/write.js";
import { planRender, renderOutput } from "../../generator/render.js";
import {
  bytesFiles,
  lockFromCatalog,
  renderCatalog,
  sampleCatalog,
  textFiles,
  type Catalog,
} from "../helpers/project.js";

const generateFrom = (catalog: Catalog) => renderCatalog(catalog);

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

  it("match the snapshots for the shapes catalog (every layout rule at its edges)", async () => {
    const { files } = await generateFrom(shapesCatalog);
    for (const [path, content] of files) {
      if (path.startsWith("runtime/") || !path.endsWith(".ts")) continue;
      await expect(content.replace(/\/\/ refold-codegen-key: .*\n$/, "")).toMatchFileSnapshot(
        `snapshots/shapes-${path}`,
      );
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

  it("go to disk as emitted: the render stage formats nothing", async () => {
    const catalog = await sampleCatalog();
    const lock = lockFromCatalog(catalog);
    const { model } = buildModel(
      lock,
      Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
    );
    const emitted = await emitFiles(model.apps, (app) => ({ model: app, key: "test" }));
    const { files } = await generateFrom(catalog);
    for (const [path, content] of textFiles(emitted.files)) {
      expect(files.get(path)?.replace(/\/\/ refold-codegen-key: .*\n$/, ""), path).toBe(content);
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
    const dir = await mkdtemp(join(tmpdir(), "refold-emit-"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const { symlink } = await import("node:fs/promises");
    await symlink(join(process.cwd(), "node_modules"), join(dir, "node_modules"), "dir");
    const { files } = await generateFrom({ apps: { ...hostileCatalog.apps, ...shapesCatalog.apps } });
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
    return (await renderCatalog(catalog, previous ? { previous } : {})).files;
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

  it("regenerates an app whose entry changed even when the entry's recorded hash was left as it was", async () => {
    const catalog = await sampleCatalog();
    const lock = lockFromCatalog(catalog);
    const apps = Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} }));
    const cold = await renderOutput(planRender(viewLock(lock), apps));
    const edited = structuredClone(lock);
    const jira = edited.apps["jira"];
    if (!jira) throw new Error("the sample has jira");
    jira.actions[0] = {
      ...jira.actions[0],
      action_id: jira.actions[0]?.action_id ?? "",
      description: "Edited by hand",
    };
    const view = viewLockBytes(Buffer.from(serializeLock(edited)), "refold.lock.json");
    const previous = bytesFiles(cold.files);
    const warm = await renderOutput(planRender(view, apps, previous));
    expect(String(warm.files.get("jira.ts"))).toContain("Edited by hand");
    // Kept: the very bytes read from the previous output, neither modelled nor emitted.
    expect(warm.files.get("hubspot.ts")).toBe(previous.get("hubspot.ts"));
    expect(warm.models.map((app) => app.slug)).toEqual(["jira"]);
  });

  it("regenerates the apps whose type names depend on a changed app, and matches a cold run", async () => {
    // `hub` and `hub-spot` have type prefixes Hub and HubSpot: hub's `spot_get` and hub-spot's `get` both
    // want HubSpotGetParams, so hub-spot's name depends on hub's actions.
    const params = [{ name: "id", type: "text", required: true }];
    const catalog: Catalog = {
      apps: {
        hub: {
          actions: [{ action_id: "spot_get" }, { action_id: "list" }],
          parameters: { spot_get: params, list: [] },
        },
        "hub-spot": { actions: [{ action_id: "get" }], parameters: { get: params } },
      },
    };
    const before = await render(catalog);
    expect(before.get("hub-spot.ts")).toMatch(/HubSpotGet_[0-9a-f]{6}Params/);
    const changed = structuredClone(catalog);
    const hub = changed.apps["hub"];
    if (!hub) throw new Error("hub");
    hub.actions = [{ action_id: "list" }];
    hub.parameters = { list: [] };
    const warm = await render(changed, before);
    expect(warm.get("hub-spot.ts")).toContain("HubSpotGetParams");
    expect([...warm]).toEqual([...(await render(changed))]);
  });

  it("ends every app module with its cache key line", async () => {
    const cold = await render(await sampleCatalog());
    expect(cold.get("hubspot.ts")).toMatch(/\n\/\/ refold-codegen-key: sha256-[0-9a-f]{64} [0-9a-f]{16}\n$/);
  });
});

import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildLock, lockApp } from "../../generator/lock/build.js";
import type { LockFile, PulledApp } from "../../generator/lock/types.js";
import type { AppConfig, EmitConfig } from "../../generator/config/types.js";
import type { Diagnostic } from "../../generator/util/diagnostics.js";
import type { Model } from "../../generator/model/types.js";
import { render } from "../../generator/pipeline/render.js";

/** A catalog in the shape the emulator serves: `{ apps: { slug: { actions, parameters } } }`. */
export interface Catalog {
  apps: Record<string, PulledApp>;
}

/** The sample connectors the repository's own lock is made from. */
export async function sampleCatalog(): Promise<Catalog> {
  return JSON.parse(await readFile(resolve("test/fixtures/sample-catalog.json"), "utf8")) as Catalog;
}

/** A lock built directly from a catalog, as a pull of it would build it. */
export function lockFromCatalog(catalog: Catalog): LockFile {
  const apps = Object.fromEntries(Object.entries(catalog.apps).map(([slug, app]) => [slug, lockApp(app)]));
  return buildLock(apps);
}

/**
 * A temporary project folder: package.json of type module (so NodeNext treats .ts as ESM) that depends on
 * undici as a user's project must, a config, and a node_modules link to this repository's, so the
 * generated code resolves undici.
 */
export async function tempProject(config: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "refold-e2e-"));
  const manifest = { type: "module", private: true, dependencies: { undici: "^7" } };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
  await writeFile(join(dir, "refold.codegen.json"), JSON.stringify(config, null, 2));
  const { symlink } = await import("node:fs/promises");
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  await mkdir(join(dir, "src"), { recursive: true });
  return dir;
}

/** Renders a catalog in-process as `generate` does: every app of the catalog unless `apps` says otherwise. */
export async function renderCatalog(
  catalog: Catalog,
  options: { apps?: readonly AppConfig[]; emit?: Partial<EmitConfig> } = {},
): Promise<{ files: Map<string, string>; diagnostics: Diagnostic[]; model: Model }> {
  const lock = lockFromCatalog(catalog);
  const apps = options.apps ?? Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} }));
  const emit = { schemas: false, openapi: false, mcp: false, ...options.emit };
  return render(lock, { apps, emit });
}

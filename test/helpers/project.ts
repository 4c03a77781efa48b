import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/** What a user's project declares: ES modules (so NodeNext treats .ts as ESM), depending on undici as it must. */
export const USER_MANIFEST = { type: "module", private: true, dependencies: { undici: "^7" } };

/**
 * A user's project in a temporary folder: its package.json (`manifest`), a node_modules link to this
 * repository's (so undici, typescript and the MCP SDK resolve), the committed generated/ copied to `out/` when
 * `withGenerated`, and `files` (path -> text).
 */
export async function linkedProject(
  prefix: string,
  options: { manifest?: object; withGenerated?: boolean; files?: Record<string, string> } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `refold-${prefix}-`));
  await writeFile(join(dir, "package.json"), JSON.stringify(options.manifest ?? USER_MANIFEST));
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  if (options.withGenerated === true) await cp(resolve("generated"), join(dir, "out"), { recursive: true });
  for (const [path, text] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** A user's project with a config and an empty src/, for the CLI to generate into. */
export async function tempProject(config: Record<string, unknown>): Promise<string> {
  const dir = await linkedProject("e2e", { files: { "refold.codegen.json": JSON.stringify(config, null, 2) } });
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

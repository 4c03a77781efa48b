import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cachedRoot: string | undefined;

/** The refold-codegen package's root folder, whether running from source (tests) or from dist/. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "refold-codegen"
    ) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("refold-codegen: cannot find the package root (package.json named refold-codegen)");
    dir = parent;
  }
}

/** The package's version, part of the generated header and of cache keys. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Folder of the runtime sources copied into every output. */
export function runtimeTemplateDir(): string {
  return join(packageRoot(), "templates", "runtime");
}

/** The JSON Schema of refold.codegen.json. */
export function configSchemaPath(): string {
  return join(packageRoot(), "generator", "config.schema.json");
}

let cachedFingerprint: string | undefined;

/**
 * The package version plus a hash of the code that decides generated content (the model, emit and schema
 * stages, and the runtime copied into the output), so output cached from an earlier run is never reused
 * by a generator that would now write it differently.
 */
export function generatorFingerprint(): string {
  if (cachedFingerprint !== undefined) return cachedFingerprint;
  const hash = createHash("sha256").update(packageVersion());
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, "model"), join(here, "emit"), join(here, "schemas"), runtimeTemplateDir()]) {
    for (const name of readdirSync(dir).sort()) {
      if (/\.(js|ts)$/.test(name)) hash.update(name).update(readFileSync(join(dir, name)));
    }
  }
  cachedFingerprint = hash.digest("hex").slice(0, 16);
  return cachedFingerprint;
}

import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
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

/** The package's version (`--version`). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Folder of the runtime sources copied into every output. */
export function runtimeTemplateDir(): string {
  return join(packageRoot(), "templates", "runtime");
}

/** Folder of the MCP server's sources, copied into outputs that ask for `emit: { "mcp": true }`. */
export function mcpTemplateDir(): string {
  return join(packageRoot(), "templates", "mcp");
}

/** The JSON Schema of refold.codegen.json. */
export function configSchemaPath(): string {
  return join(packageRoot(), "generator", "config.schema.json");
}

/** True when `path` is `folder` or below it (both resolved against the working folder). */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

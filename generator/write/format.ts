import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { codegenError } from "../util/diagnostics.js";

/** The part of prettier's API this module uses. */
interface Prettier {
  format(source: string, options: Record<string, unknown>): Promise<string>;
  resolveConfig(path: string): Promise<Record<string, unknown> | null>;
}

/**
 * Config `format: "prettier"`: formats the output's TypeScript and JSON files with the project's own
 * prettier (resolved from the config's folder, as the project's own scripts would find it) and the prettier
 * config that applies to each file's path, as hey-api's `output.format` does. The bytes then depend on the
 * project's prettier version and config, which the project pins itself.
 */
export async function formatWithPrettier(
  files: ReadonlyMap<string, string>,
  outputDir: string,
  rootDir: string,
): Promise<Map<string, string>> {
  const prettier = await loadPrettier(rootDir);
  const formatted = new Map<string, string>();
  for (const [path, content] of files) {
    const parser = path.endsWith(".ts") ? "typescript" : path.endsWith(".json") ? "json" : undefined;
    if (parser === undefined) {
      formatted.set(path, content);
      continue;
    }
    const filepath = join(outputDir, path);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    formatted.set(path, await prettier.format(content, { ...options, parser, filepath }));
  }
  return formatted;
}

async function loadPrettier(rootDir: string): Promise<Prettier> {
  let entry: string;
  try {
    entry = createRequire(join(rootDir, "package.json")).resolve("prettier");
  } catch {
    const message = `config "format": "prettier" needs prettier, and none is installed for ${rootDir}`;
    throw codegenError(message, "no-prettier", 'npm install --save-dev prettier, or remove "format" from the config');
  }
  const loaded = (await import(pathToFileURL(entry).href)) as Prettier & { default?: Prettier };
  return loaded.default ?? loaded;
}

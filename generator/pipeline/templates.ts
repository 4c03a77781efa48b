import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { GENERATED_HEADER } from "../emit/header.js";
import { mcpTemplateDir, runtimeTemplateDir } from "../util/paths.js";

/** A template folder's TypeScript sources, by file name, each with the generated header, in name order. */
export type TemplateFiles = readonly (readonly [name: string, source: string])[];

const cache = new Map<string, Promise<TemplateFiles>>();

/** The runtime's sources (templates/runtime), copied verbatim into every output. */
export function runtimeTemplates(): Promise<TemplateFiles> {
  return templateFiles(runtimeTemplateDir());
}

/** The MCP server's sources (templates/mcp), copied into outputs with `emit: { "mcp": true }`. */
export function mcpTemplates(): Promise<TemplateFiles> {
  return templateFiles(mcpTemplateDir());
}

/** Read once per process: a watch run regenerates many times from the same installed templates. */
function templateFiles(dir: string): Promise<TemplateFiles> {
  let files = cache.get(dir);
  if (files === undefined) {
    files = (async () => {
      const names = (await readdir(dir)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts")).sort();
      return Promise.all(
        names.map(async (name) => [name, `${GENERATED_HEADER}\n${await readFile(join(dir, name), "utf8")}`] as const),
      );
    })();
    cache.set(dir, files);
  }
  return files;
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeTemplateDir } from "../util/paths.js";

let cached: ReadonlySet<string> | undefined;

/**
 * Every name the runtime exports. The generated index re-exports the runtime next to the app modules,
 * so no generated name may equal one of these (an explicit export would silently shadow it).
 */
export function runtimeExportNames(): ReadonlySet<string> {
  if (cached) return cached;
  const names = new Set<string>();
  const dir = runtimeTemplateDir();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
    const source = readFileSync(join(dir, file), "utf8");
    for (const match of source.matchAll(
      /export\s+(?:declare\s+)?(?:abstract\s+)?(?:class|interface|type|function\*?|const|let|enum)\s+([A-Za-z_$][\w$]*)/g,
    )) {
      if (match[1]) names.add(match[1]);
    }
    for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
      for (const part of (match[1] ?? "").split(",")) {
        const name = part
          .trim()
          .split(/\s+as\s+/)
          .pop()
          ?.replace(/^type\s+/, "")
          .trim();
        if (name) names.add(name);
      }
    }
  }
  cached = names;
  return names;
}

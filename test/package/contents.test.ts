// What the published tarball holds: everything the bin, the API and the generated code import, and nothing else.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packListing, ROOT, type PackListing } from "./support.js";

interface Manifest {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;
let listing: PackListing;
let shipped: Set<string>;

beforeAll(async () => {
  listing = await packListing();
  shipped = new Set(listing.files.map((file) => file.path));
}, 120_000);

/** Every module specifier a JavaScript or TypeScript file imports, statically or dynamically. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    // An import clause holds no quote, so a quoted "from" (a yargs option, say) is not one.
    /^\s*(?:import|export)\s[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

const isBuiltin = (name: string) => name.startsWith("node:") || builtinModules.includes(name);
const packageName = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] as string);

describe("the packed tarball", () => {
  it("ships every module that a shipped module imports, and imports no package it does not depend on", () => {
    const missing: string[] = [];
    const undeclared: string[] = [];
    const modules = [...shipped].filter((path) => /\.(js|ts)$/.test(path) && !path.endsWith(".d.ts"));
    expect(modules.length).toBeGreaterThan(50);
    for (const path of modules) {
      for (const specifier of specifiers(readFileSync(join(ROOT, path), "utf8"))) {
        if (specifier.startsWith(".")) {
          const target = posix.join(posix.dirname(path), specifier);
          // The runtime's TypeScript sources import their siblings by their compiled names.
          const candidates = path.endsWith(".ts") ? [target.replace(/\.js$/, ".ts")] : [target];
          if (!candidates.some((candidate) => shipped.has(candidate))) missing.push(`${path} -> ${specifier}`);
        } else if (
          !isBuiltin(specifier) &&
          manifest.dependencies[packageName(specifier)] === undefined &&
          // The MCP server copied into outputs that ask for it: the user's project depends on the SDK.
          !(path.startsWith("templates/mcp/") && packageName(specifier) === "@modelcontextprotocol/sdk")
        ) {
          undeclared.push(`${path} -> ${specifier}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(undeclared).toEqual([]);
  });

  it("ships the bin, every export target, the config schema and the runtime copied into outputs", () => {
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((entry) =>
        typeof entry === "string" ? [entry] : Object.values(entry),
      ),
    ].map((path) => posix.normalize(path));
    expect(targets).toContain("dist/generator/mock/index.js");
    for (const target of targets) expect(shipped, target).toContain(target);
    expect(shipped).toContain("generator/config.schema.json");
    for (const name of ["client.ts", "errors.ts", "index.ts", "transport.ts", "types.ts"])
      expect(shipped).toContain(`templates/runtime/${name}`);
  });

  it("imports nothing from outside itself in the runtime copied into every output: no package, no Node built-in", () => {
    // undici is loaded at run time on Node only (runtime/platform.ts), so that no bundler meets it elsewhere.
    const runtime = [...shipped].filter((path) => path.startsWith("templates/runtime/"));
    const outside = runtime.flatMap((path) =>
      specifiers(readFileSync(join(ROOT, path), "utf8")).filter((s) => !s.startsWith("./")),
    );
    expect(outside).toEqual([]);
  });

  it("ships nothing test-, bench- or example-only", () => {
    const strays = [...shipped].filter((path) =>
      /^(test|bench|scripts|examples|generated|dist\/(test|bench|scripts|generated))\//.test(path),
    );
    expect(strays).toEqual([]);
    expect([...shipped].filter((path) => /\.test\.(js|ts)$/.test(path))).toEqual([]);
  });

  it("is as large as the README says (within 15%)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const stated = /tarball is about (\d+) kB/.exec(readme)?.[1];
    expect(stated, "the README states the tarball's size as `tarball is about N kB`").toBeDefined();
    const actual = listing.size / 1000;
    expect(Math.abs(actual - Number(stated)) / actual, `packed: ${actual.toFixed(1)} kB`).toBeLessThan(0.15);
  });
});

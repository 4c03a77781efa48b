import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Diagnostic } from "../util/diagnostics.js";
import { packageRoot } from "../util/paths.js";

/*
 * On Node the generated client sends over undici, loaded at run time from the user's own dependencies (as
 * openapi-fetch users depend on its runtime); refold-codegen is usually a dev dependency, which a production
 * install (`npm ci --omit=dev`, a container image) leaves out. Without undici the client falls back to Node's
 * fetch, which works but is several times slower per call: `init` adds undici, `generate` warns when a
 * production install would lose it. Projects for other runtimes (Workers, Bun, Deno, browsers) use fetch.
 */

/** The package the generated client sends over on Node. */
export const RUNTIME_PACKAGE = "undici";

/** Dependency fields a production install keeps. */
const RUNTIME_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"] as const;
const ALL_FIELDS = [...RUNTIME_FIELDS, "devDependencies"] as const;

type Manifest = Partial<Record<(typeof ALL_FIELDS)[number], Record<string, string>>>;

/** The range of undici that refold-codegen itself is built and tested with, e.g. `^7.30.2`. */
export function runtimeRange(): string {
  return testedRange(RUNTIME_PACKAGE);
}

/** The nearest package.json at or above `dir`, parsed (undefined when there is none or it is not JSON). */
export function nearestManifest(dir: string): { path: string; manifest: Manifest } | undefined {
  for (let folder = dir; ; folder = dirname(folder)) {
    const path = join(folder, "package.json");
    if (existsSync(path)) {
      const manifest = readManifest(path);
      return manifest === undefined ? undefined : { path, manifest };
    }
    if (dirname(folder) === folder) return undefined;
  }
}

function readManifest(path: string): Manifest | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The MCP SDK, which the output's `mcp.ts` imports (config `emit: { "mcp": true }`). */
export const MCP_PACKAGE = "@modelcontextprotocol/sdk";

/** The range of a package refold-codegen itself is built and tested with (dependencies or devDependencies). */
export function testedRange(name: string): string {
  const manifest = readManifest(join(packageRoot(), "package.json")) as Manifest;
  return manifest.dependencies?.[name] ?? manifest.devDependencies?.[name] ?? "*";
}

/**
 * Warnings about the runtime dependencies of the output's owner: undici, unless the project is plainly not
 * for Node (Cloudflare's tooling), and the MCP SDK when the output holds an MCP server. Warnings, not errors:
 * the client runs without undici (over fetch), and a harness may well hold the SDK as a dev dependency.
 */
export function runtimeDependencyProblems(outputDir: string, emit: { mcp: boolean }): Diagnostic[] {
  const owner = nearestManifest(dirname(outputDir));
  if (owner === undefined) return [];
  const problems = [
    notForNode(owner.manifest)
      ? undefined
      : dependencyWarning(
          owner,
          RUNTIME_PACKAGE,
          "on Node the generated client sends over undici (without it, over Node's fetch: several times slower per call)",
        ),
    emit.mcp
      ? dependencyWarning(owner, MCP_PACKAGE, "the generated mcp.ts imports @modelcontextprotocol/sdk at run time")
      : undefined,
  ];
  return problems.filter((problem) => problem !== undefined);
}

// Dependencies that mark a project for Cloudflare's workerd, where the client uses fetch and undici is no use.
const NOT_NODE_MARKERS = ["wrangler", "@cloudflare/workers-types"];

function notForNode(manifest: Manifest): boolean {
  return NOT_NODE_MARKERS.some((name) => ALL_FIELDS.some((field) => manifest[field]?.[name] !== undefined));
}

/**
 * A warning when the package that owns the output folder (the nearest package.json above it; the output's own
 * package.json is ours) would leave `name` out of a production install, or declares no dependencies at all.
 */
function dependencyWarning(
  owner: { path: string; manifest: Manifest },
  name: string,
  needs: string,
): Diagnostic | undefined {
  const { path, manifest } = owner;
  if (missingAtRunTime(manifest, [name]).length === 0) return undefined;
  const hint = `add it: \`npm install ${name}@${testedRange(name)}\` (pnpm add, yarn add) in ${dirname(path)}`;
  const where = !ALL_FIELDS.some((field) => manifest[field] !== undefined)
    ? "declares no dependencies"
    : manifest.devDependencies?.[name] !== undefined
      ? `lists ${name} only in devDependencies: a production install (npm ci --omit=dev) would leave it out`
      : `does not list ${name}`;
  return { severity: "warning", code: "runtime-dependency", message: `${needs}, and ${path} ${where}`, hint };
}

/** The packages a production install of this manifest would leave out. */
export function missingAtRunTime(manifest: Manifest, packages: readonly string[]): string[] {
  return packages.filter((name) => !RUNTIME_FIELDS.some((field) => manifest[field]?.[name] !== undefined));
}

/** The package managers `init` knows how to add a dependency with. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

const LOCKFILES: readonly [string, PackageManager][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
];

/**
 * The project's package manager: the one running us (`npm_config_user_agent`, set by npx, pnpm exec, yarn
 * and bun), else the one whose lock file is nearest above `dir`, else npm.
 */
export function packageManagerOf(dir: string, env: { npm_config_user_agent?: string | undefined }): PackageManager {
  const agent = /^(npm|pnpm|yarn|bun)\//.exec(env.npm_config_user_agent ?? "")?.[1];
  if (agent !== undefined) return agent as PackageManager;
  for (let folder = dir; ; folder = dirname(folder)) {
    for (const [file, manager] of LOCKFILES) if (existsSync(join(folder, file))) return manager;
    if (dirname(folder) === folder) return "npm";
  }
}

/** The command line that adds undici to the dependencies of the package in the working folder. */
export function addRuntimeCommand(manager: PackageManager): string[] {
  const spec = `${RUNTIME_PACKAGE}@${runtimeRange()}`;
  return manager === "npm" ? ["npm", "install", "--save", spec] : [manager, "add", spec];
}

/** Runs `command` in `dir`, its output going to ours (stderr), and resolves to its exit code. */
export function runCommand(command: readonly string[], dir: string): Promise<number> {
  const [file = "", ...args] = command;
  return new Promise((resolve, reject) => {
    // Windows runs package managers through their .cmd shims, which need a shell.
    const child = spawn(file, args, { cwd: dir, stdio: ["ignore", 2, 2], shell: process.platform === "win32" });
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
}

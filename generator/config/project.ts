import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Diagnostic } from "../util/diagnostics.js";
import { packageRoot } from "../util/paths.js";

/*
 * The generated client imports undici at run time, and refold-codegen is usually a dev dependency, which a
 * production install (`npm ci --omit=dev`, a container image) leaves out. So the user's own package must
 * depend on undici, as openapi-fetch users depend on its runtime: `init` adds it, `generate` checks it.
 */

/** The one package the generated code imports besides Node's built-ins. */
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
    return typeof value === "object" && value !== null ? (value as Manifest) : undefined;
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
 * What is wrong with the runtime dependencies of the output's owner: undici's absence is an error (every
 * client needs it); the MCP SDK's, when the output holds an MCP server, a warning naming the fix (the
 * server is an optional part, and a harness may well hold the SDK as a dev dependency).
 */
export function runtimeDependencyProblems(outputDir: string, emit: { mcp: boolean }): Diagnostic[] {
  const problems = [runtimeDependencyProblem(outputDir, [RUNTIME_PACKAGE])];
  const sdk = emit.mcp ? runtimeDependencyProblem(outputDir, [MCP_PACKAGE]) : undefined;
  if (sdk !== undefined) problems.push({ ...sdk, severity: "warning" });
  return problems.filter((problem) => problem !== undefined);
}

/**
 * What is wrong with the runtime dependencies of the package that owns the output folder (the nearest
 * package.json above it; the output's own package.json is ours): an error when that package manages
 * dependencies but a production install would leave one of `packages` out, a warning when it declares none
 * at all (nothing installs them, so it cannot be judged), nothing when they are runtime dependencies or
 * there is no package.json (not a Node package).
 */
export function runtimeDependencyProblem(outputDir: string, packages: readonly string[] = [RUNTIME_PACKAGE]): Diagnostic | undefined {
  const owner = nearestManifest(dirname(outputDir));
  if (owner === undefined) return undefined;
  const { path, manifest } = owner;
  const missing = missingAtRunTime(manifest, packages);
  if (missing.length === 0) return undefined;
  const specs = missing.map((name) => `${name}@${testedRange(name)}`).join(" ");
  const fix = `add ${missing.length === 1 ? "it" : "them"}: \`npm install ${specs}\` (pnpm add, yarn add) in ${dirname(path)}`;
  const needs = `the generated client imports ${missing.join(" and ")} at run time`;
  if (!ALL_FIELDS.some((field) => manifest[field] !== undefined)) {
    const message = `${needs}, and ${path} declares no dependencies`;
    return { severity: "warning", code: "runtime-dependency", message, hint: fix };
  }
  const onlyDev = missing.every((name) => manifest.devDependencies?.[name] !== undefined);
  const where = onlyDev ? "only in devDependencies" : "not at all";
  const message = `${needs}, but ${path} lists ${missing.length === 1 ? "it" : "them"} ${where}: a production install (npm ci --omit=dev) would leave ${missing.length === 1 ? "it" : "them"} out`;
  return { severity: "error", code: "runtime-dependency", message, hint: fix };
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

// Helpers of the packaging tests: pack the package as `npm publish` would, run commands in throw-away projects.
import { spawn } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: ours without REFOLD_* and without what `npm test` exported to us
 * (npm_config_*, npm_package_*, npm_lifecycle_*: an npm run's settings would leak into the user's npm or pnpm,
 * and npm_config_user_agent would name npm even to a pnpm project), plus `extra`.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(REFOLD_|npm_|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to its end and collects its output; never rejects on a non-zero exit. */
export function runIn(cwd: string, command: readonly string[], env: NodeJS.ProcessEnv = userEnv()): Promise<Ran> {
  const [file = "", ...args] = command;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed; throws with its output otherwise. */
export async function mustRun(cwd: string, command: readonly string[], env?: NodeJS.ProcessEnv): Promise<Ran> {
  const ran = await runIn(cwd, command, env);
  if (ran.code !== 0) {
    throw new Error(`\`${command.join(" ")}\` exited ${ran.code} in ${cwd}\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

/**
 * Packs the repository as `npm publish` would (its build is already there: `npm test` builds first, and
 * a `prepare` run here would rebuild dist/ under the other tests' feet) and returns the tarball's path.
 */
export async function packTarball(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "refold-pack-"));
  await mustRun(ROOT, ["npm", "pack", "--ignore-scripts", "--pack-destination", dir], userEnv());
  const [name] = (await readdir(dir)).filter((file) => file.endsWith(".tgz"));
  if (name === undefined) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return join(dir, name);
}

/** What `npm pack --dry-run --json` says the tarball holds. */
export interface PackListing {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

export async function packListing(): Promise<PackListing> {
  const ran = await mustRun(ROOT, ["npm", "pack", "--dry-run", "--json", "--ignore-scripts"], userEnv());
  const [listing] = JSON.parse(ran.stdout) as PackListing[];
  if (listing === undefined) throw new Error("npm pack --dry-run --json listed nothing");
  return listing;
}

import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const TSC = resolve("node_modules/typescript/bin/tsc");

/** The strictest settings the generated code promises to compile under (design.md §4). */
const STRICT = {
  target: "ES2022",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  // Users who turn these on compile the generated code too.
  noUnusedLocals: true,
  noUnusedParameters: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: [resolve("node_modules/@types")],
};

export type Resolution = "NodeNext" | "Bundler";

/**
 * Runs the real TypeScript compiler over `include` (relative to `dir`). With `outDir` it emits JavaScript.
 * Resolves with the compiler's output; rejects with it when compilation fails.
 */
export async function compile(
  dir: string,
  include: string[],
  resolution: Resolution,
  outDir?: string,
): Promise<string> {
  const module =
    resolution === "NodeNext"
      ? { module: "NodeNext", moduleResolution: "NodeNext" }
      : { module: "ESNext", moduleResolution: "Bundler" };
  const compilerOptions = { ...STRICT, ...module, ...(outDir ? { outDir, rootDir: "." } : { noEmit: true }) };
  const name = `tsconfig.${resolution.toLowerCase()}.json`;
  await writeFile(join(dir, name), JSON.stringify({ compilerOptions, include }, null, 2));
  try {
    const { stdout } = await run(process.execPath, [TSC, "-p", name], { cwd: dir });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc (${resolution}) failed:\n${stdout}${stderr}`, { cause: error });
  }
}

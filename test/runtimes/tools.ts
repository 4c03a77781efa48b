// The JavaScript APIs of the runtime tools installed in test/runtimes/node_modules (esbuild, edge-runtime,
// playwright-core), loaded by path with the few types used here, so that the repository typechecks without
// that install and the bench can call the bundle functions from dist/.
import { createRequire } from "node:module";
import { join } from "node:path";

export interface EsbuildOptions {
  entryPoints?: string[];
  /** An entry given as text, resolved from `resolveDir`. */
  stdin?: { contents: string; resolveDir: string; sourcefile: string; loader: "ts" };
  bundle: true;
  write: false;
  outdir?: string;
  format: "esm" | "iife";
  platform: "browser" | "neutral" | "node";
  target?: string;
  conditions?: string[];
  mainFields?: string[];
  external?: string[];
  minify?: boolean;
  metafile?: boolean;
  logLevel?: "silent" | "error";
  absWorkingDir?: string;
}

export interface EsbuildResult {
  outputFiles: { path: string; text: string; contents: Uint8Array }[];
  metafile?: {
    inputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
    outputs: Record<string, { bytes: number; imports: { path: string; kind: string; external?: boolean }[] }>;
  };
}

export interface Esbuild {
  build(options: EsbuildOptions): Promise<EsbuildResult>;
  version: string;
}

export interface EdgeVM {
  evaluate<T = unknown>(code: string): T;
}

export interface EdgeRuntimeModule {
  EdgeRuntime: new (options?: { initialCode?: string }) => EdgeVM;
}

export interface PlaywrightPage {
  goto(url: string): Promise<unknown>;
  /** Evaluates an expression in the page (a string: the test's own code is transformed by vitest). */
  evaluate(expression: string): Promise<unknown>;
  on(event: "console", listener: (message: { type(): string; text(): string }) => void): void;
  on(event: "pageerror", listener: (error: Error) => void): void;
}

export interface PlaywrightContext {
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
  browser(): { version(): string } | null;
}

export interface Playwright {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: { executablePath: string; headless: boolean; args: string[]; timeout?: number },
    ): Promise<PlaywrightContext>;
  };
}

/** The folder of test/runtimes's own install. */
export function runtimesModules(root: string): string {
  return join(root, "test", "runtimes", "node_modules");
}

function load<T>(root: string, name: string): T {
  // CommonJS entries through createRequire: they resolve inside test/runtimes/node_modules only.
  const require = createRequire(join(runtimesModules(root), "noop.js"));
  return require(name) as T;
}

export const esbuild = (root: string): Esbuild => load<Esbuild>(root, "esbuild");
export const edgeRuntime = (root: string): EdgeRuntimeModule => load<EdgeRuntimeModule>(root, "edge-runtime");
export const playwright = (root: string): Playwright => load<Playwright>(root, "playwright-core");

/** The installed version of a package of test/runtimes. */
export function versionOf(root: string, name: string): string {
  return load<{ version: string }>(root, `${name}/package.json`).version;
}

// Bundles of the generated client as the platforms' bundlers make them (esbuild, with each platform's
// conditions), shared by the runtime tests and the bench (`browserBundleSize`).
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { esbuild, type EsbuildOptions } from "./tools.js";

/** Where a bundle runs: each is bundled as that platform's tooling bundles it. */
export type Target = "browser" | "workerd" | "edge";

const TARGETS: Record<Target, Partial<EsbuildOptions>> = {
  // esbuild's browser platform: conditions browser, import, default; the `node:` builtins cannot resolve.
  browser: { platform: "browser", format: "esm" },
  // As wrangler bundles a module worker (its conditions); with nodejs_compat, `node:` imports stay external
  // for workerd to provide.
  workerd: {
    platform: "neutral",
    format: "esm",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["node:*"],
  },
  // As Vercel bundles an edge function (condition edge-light), as a script EdgeRuntime evaluates.
  edge: {
    platform: "neutral",
    format: "iife",
    conditions: ["edge-light", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
  },
};

export interface Bundle {
  text: string;
  /** Every input file, relative to the repository. */
  inputs: string[];
  /** Imports the bundle leaves to the platform (externals). */
  externals: string[];
}

/** Bundles one entry (a path relative to `root`, or a source text) for a target. */
export async function bundle(
  root: string,
  entry: string | { contents: string },
  target: Target,
  options: { minify?: boolean } = {},
): Promise<Bundle> {
  const source =
    typeof entry === "string"
      ? { entryPoints: [join(root, entry)] }
      : { stdin: { contents: entry.contents, resolveDir: root, sourcefile: "entry.ts", loader: "ts" as const } };
  const result = await esbuild(root).build({
    ...source,
    ...TARGETS[target],
    bundle: true,
    write: false,
    outdir: join(root, ".tmp", "bundle"),
    target: "es2022",
    minify: options.minify === true,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: root,
  } as EsbuildOptions);
  const output = result.outputFiles.find((file) => file.path.endsWith(".js"));
  if (!output || !result.metafile) throw new Error("esbuild wrote no bundle");
  const externals = Object.values(result.metafile.outputs).flatMap((out) => out.imports.map((i) => i.path));
  return { text: output.text, inputs: Object.keys(result.metafile.inputs), externals };
}

/** An entry with the runtime and the sample HubSpot app only: `createRefold` restricted to that one app. */
export const HUBSPOT_ONLY_ENTRY = `
import { RefoldClient, createRoot, type RefoldClientOptions } from "./generated/runtime/index.js";
import { createHubspotClient } from "./generated/hubspot.js";

export function createRefold(options: RefoldClientOptions) {
  return createRoot(new RefoldClient(options), { hubspot: { slug: "hubspot", create: createHubspotClient } });
}
`;

export interface SizeReport {
  esbuild: string;
  /** The runtime plus the sample HubSpot app, for the browser, minified. */
  hubspotOnly: { minified: number; gzip: number };
  /** The whole generated index (the five sample apps), for the browser, minified. */
  allApps: { minified: number; gzip: number };
}

/** Minified and gzipped (level 9) sizes of the browser bundles, in bytes (the bench's figure; report only). */
export async function browserBundleSize(root: string): Promise<SizeReport> {
  const sizes = async (entry: string | { contents: string }) => {
    const { text } = await bundle(root, entry, "browser", { minify: true });
    const bytes = Buffer.from(text, "utf8");
    return { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  return {
    esbuild: esbuild(root).version,
    hubspotOnly: await sizes({ contents: HUBSPOT_ONLY_ENTRY }),
    allApps: await sizes({ contents: `export { createRefold } from "./generated/index.js";` }),
  };
}

// Nothing of Node outside the Node transport: the browser bundle of the generated output (esbuild
// generated/index.ts --bundle --platform=browser --format=esm) has no `node:` import, no external and no
// undici. Also prints the bench's figure: the runtime plus the HubSpot app, minified and gzipped.
import { describe, expect, it } from "vitest";
import { browserBundleSize, bundle, HUBSPOT_ONLY_ENTRY } from "./bundle.js";
import { ROOT } from "./harness.js";

const NODE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)["']node:/;
// An import of undici in any form a bundler follows. (The runtime names "undici" only in Node's own
// createRequire, called at run time on Node, which no bundler follows.)
const UNDICI_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)["']undici/;

describe("the browser bundle of the generated output", () => {
  it("esbuild generated/index.ts --bundle --platform=browser --format=esm: no node: import, no external, no undici", async () => {
    const out = await bundle(ROOT, "generated/index.ts", "browser");
    expect(out.externals).toEqual([]);
    expect(out.inputs.filter((input) => input.includes("node_modules"))).toEqual([]);
    expect(out.inputs.every((input) => input.startsWith("generated/"))).toBe(true);
    expect(out.text).not.toMatch(NODE_IMPORT);
    expect(out.text).not.toMatch(UNDICI_IMPORT);
    // The output's package.json `browser` field swaps runtime/node.ts, abort.ts and connect.ts for their browser twins.
    for (const twin of ["node", "abort", "connect"])
      expect(out.inputs).toContain(`generated/runtime/${twin}.browser.ts`);
    expect(out.inputs.filter((input) => /runtime\/(node|abort|connect|transport-undici)\.ts$/.test(input))).toEqual([]);
  });

  it("the runtime plus the sample HubSpot app alone bundles the same way (the bench's entry)", async () => {
    const out = await bundle(ROOT, { contents: HUBSPOT_ONLY_ENTRY }, "browser", { minify: true });
    expect(out.externals).toEqual([]);
    expect(
      out.inputs.filter((input) => input.startsWith("generated/") && !input.startsWith("generated/runtime/")),
    ).toEqual(["generated/hubspot.ts"]);
    expect(out.text).not.toMatch(NODE_IMPORT);
    expect(out.text).not.toMatch(UNDICI_IMPORT);
    // The titles and descriptions live only in the `<app>Actions` list, whose call is marked pure: a bundle that
    // never reads the list leaves them out. The action ids stay (the client sends them).
    expect(out.text).toContain("create_company");
    expect(out.text).not.toContain("Creating a Company in Hubspot");
    const listed = await bundle(
      ROOT,
      { contents: `export { hubspotActions } from "./generated/hubspot.js";` },
      "browser",
      { minify: true },
    );
    expect(listed.text).toContain("Creating a Company in Hubspot");
    const size = await browserBundleSize(ROOT);
    console.log(
      `browser bundle, minified + gzip -9: runtime + hubspot ${size.hubspotOnly.gzip} B (${size.hubspotOnly.minified} B minified), all five sample apps ${size.allApps.gzip} B`,
    );
  });
});

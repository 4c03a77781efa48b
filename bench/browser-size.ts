/*
 * The browser bundle's size (issue 19, report only): the runtime plus the sample HubSpot app (generated/),
 * bundled by esbuild for the browser, minified and gzipped (level 9), against the 10 KB target; the whole
 * generated index (five sample apps) beside it. Needs test/runtimes installed (`npm run toolchains`).
 *
 *   npm run bench:build && node dist/bench/browser-size.js [--json]
 *
 * `browserSizeFigures()` gives the same as bench figures, for a section that wants them.
 */
import { pathToFileURL } from "node:url";
import { browserBundleSize } from "../test/runtimes/bundle.js";
import { REPO_ROOT } from "./lib/context.js";
import { judge, type Figure } from "./lib/report.js";

/** The target for the runtime plus one app, minified and gzipped: 10 KB (10,240 bytes). */
const TARGET_BYTES = 10 * 1024;

export async function browserSizeFigures(root = REPO_ROOT): Promise<Figure[]> {
  const size = await browserBundleSize(root);
  return [
    judge({
      id: "bytes.browser-hubspot",
      section: "output",
      label: `browser bundle, runtime + HubSpot app (esbuild ${size.esbuild}, minified, gzip -9)`,
      value: size.hubspotOnly.gzip,
      unit: "bytes",
      target: { on: "value", op: "<=", bound: TARGET_BYTES, text: "<= 10 KB (10,240 bytes)" },
    }),
    {
      id: "bytes.browser-all",
      section: "output",
      label: `browser bundle, runtime + the five sample apps (esbuild ${size.esbuild}, minified, gzip -9)`,
      value: size.allApps.gzip,
      unit: "bytes",
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const size = await browserBundleSize(REPO_ROOT);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(size, null, 2));
  } else {
    const line = (label: string, s: { minified: number; gzip: number }) =>
      `${label}: ${s.gzip} B minified + gzip -9 (${s.minified} B minified)`;
    console.log(
      line("runtime + hubspot", size.hubspotOnly) +
        ` — target <= ${TARGET_BYTES} B: ${size.hubspotOnly.gzip <= TARGET_BYTES ? "met" : "not met"}`,
    );
    console.log(line("runtime + all five sample apps", size.allApps));
  }
}

// Rebuilds refold.lock.json and generated/ from test/fixtures/sample-catalog.json through the real path:
// the emulator serves the catalog on loopback and `generate --refresh` pulls it. Run: npm run samples:refresh
import { readFile } from "node:fs/promises";
import { generate } from "../generator/index.js";
import type { PulledApp } from "../generator/lock/types.js";
import { startMock } from "../generator/mock/index.js";
import { formatDiffReport } from "../generator/diff/format.js";

const API_KEY = "tk_samples_refresh";
const catalog = JSON.parse(await readFile("test/fixtures/sample-catalog.json", "utf8")) as {
  apps: Record<string, PulledApp>;
};
const server = await startMock({ apps: catalog.apps, apiKey: API_KEY });
try {
  const result = await generate({ refresh: true, env: { REFOLD_API_KEY: API_KEY, REFOLD_BASE_URL: server.url } });
  console.log(formatDiffReport(result.diff).join("\n"));
  console.log(`wrote ${result.files.length} files to ${result.outputDir}`);
} finally {
  await server.close();
}

// Rebuilds refold.lock.json, refold.results.json and generated/ through the real paths: the emulator serves
// test/fixtures/sample-catalog.json on loopback and `generate --refresh` pulls it; `record --from` learns the
// result shapes of the published HubSpot answers (test/fixtures/answers). Run: npm run samples:refresh
import { readdir, readFile, rm } from "node:fs/promises";
import { generate, record } from "../generator/index.js";
import type { PulledApp } from "../generator/lock/types.js";
import { startMock } from "../generator/mock/index.js";
import { formatDiffReport } from "../generator/diff/format.js";

const API_KEY = "tk_samples_refresh";
const catalog = JSON.parse(await readFile("test/fixtures/sample-catalog.json", "utf8")) as {
  apps: Record<string, PulledApp>;
};
const server = await startMock({ apps: catalog.apps, apiKey: API_KEY });
try {
  const refreshed = await generate({ refresh: true, env: { REFOLD_API_KEY: API_KEY, REFOLD_BASE_URL: server.url } });
  console.log(formatDiffReport(refreshed.diff).join("\n"));
  await rm("refold.results.json", { force: true });
  const answers = "test/fixtures/answers/hubspot";
  const files = (await readdir(answers)).filter((name) => name.endsWith(".json")).sort();
  for (const action of [...new Set(files.map((name) => name.split(".")[0] as string))]) {
    const from = files.filter((name) => name.startsWith(`${action}.`)).map((name) => `${answers}/${name}`);
    const learned = await record("hubspot", action, { from });
    console.log(`recorded hubspot ${action}: ${learned.samples} samples`);
  }
  const result = await generate({ offline: true });
  console.log(`wrote ${result.files.length} files to ${result.outputDir}`);
} finally {
  await server.close();
}

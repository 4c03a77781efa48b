/*
 * Regeneration in a process that keeps running (what `generate --watch` and a build tool calling the API
 * do): in a bench project whose output is up to date, edits one app's lock entry `runs` times and times
 * each programmatic `generate()`, the edit excluded. The first call, before any edit, warms the process.
 * Usage: node regenerate.js <slug> <runs>
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "../../generator/index.js";
import { editLock } from "../lib/edit-lock.js";

const [slug = "", runs = "3"] = process.argv.slice(2);
await generate({ offline: true });
const regenMs: number[] = [];
for (let run = 1; run <= Number(runs); run++) {
  const marker = `(bench edit in-process ${run})`;
  await editLock(join(process.cwd(), "refold.lock.json"), slug, marker);
  const started = performance.now();
  const result = await generate({ offline: true });
  regenMs.push(performance.now() - started);
  const module = await readFile(join(result.outputDir, `${slug}.ts`), "utf8");
  if (!module.includes(marker)) throw new Error(`generate did not regenerate ${slug}.ts after its lock entry changed`);
}
process.stdout.write(`${JSON.stringify({ regenMs })}\n`);

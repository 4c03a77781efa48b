/*
 * The naive pipeline (baseline of the cold figure): json-schema-to-typescript `compile()` once per action
 * with its defaults (it formats every result with prettier), plus a template-string function per action,
 * one file per app written to disk. Usage: node naive.js <corpus.json> <outDir>
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Corpus } from "../corpus.js";
import { camelCase, jsonSchemaOf, pascalCase, shapesOf } from "../lib/shape.js";

const [corpusFile, outDir] = process.argv.slice(2);
if (corpusFile === undefined || outDir === undefined) throw new Error("usage: naive.js <corpus.json> <outDir>");

const started = performance.now();
const { compile } = await import("json-schema-to-typescript");
const importMs = performance.now() - started;
const corpus = JSON.parse(readFileSync(corpusFile, "utf8")) as Corpus;
mkdirSync(outDir, { recursive: true });
let compileMs = 0;
let bytes = 0;
let actions = 0;
for (const [slug, app] of Object.entries(corpus.apps)) {
  const App = pascalCase(slug);
  const parts = ['import type { ActionRunner, CallOptions } from "./runtime/types.js";\n'];
  const entries = [...app.actions].sort((a, b) => (a.action_id < b.action_id ? -1 : 1));
  for (const entry of entries) {
    const id = entry.action_id;
    const typeName = `${App}${pascalCase(id)}Params`;
    const schema = jsonSchemaOf(shapesOf(app.parameters[id]), String(entry.description ?? ""));
    const t0 = performance.now();
    parts.push(await compile(schema, typeName));
    compileMs += performance.now() - t0;
    const spec = JSON.stringify({ app: slug, action: id });
    parts.push(
      `/** ${String(entry.name ?? id)} */\nexport function ${camelCase(id)}(runner: ActionRunner, params: ${typeName}, options?: CallOptions): Promise<unknown> {\n  return runner.run(${spec}, params, options);\n}\n`,
    );
    actions++;
  }
  const text = parts.join("\n");
  bytes += Buffer.byteLength(text);
  writeFileSync(join(outDir, `${slug}.ts`), text);
}
const totalMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ importMs, compileMs, totalMs, actions, bytes })}\n`);

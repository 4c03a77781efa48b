/*
 * The emitter-choice evidence: the same 1500 param interfaces and functions printed (a) with template
 * strings and (b) through one ts-morph SourceFile structure, import of ts-morph timed separately.
 * Usage: node tsmorph.js <corpus.json>
 */
import { readFileSync } from "node:fs";
import type { StatementStructures } from "ts-morph";
import type { Corpus } from "../corpus.js";
import { camelCase, pascalCase, propertyKey, shapesOf, tsType, type Shape } from "../lib/shape.js";

const [corpusFile] = process.argv.slice(2);
if (corpusFile === undefined) throw new Error("usage: tsmorph.js <corpus.json>");

interface Action {
  slug: string;
  id: string;
  name: string;
  description: string;
  typeName: string;
  functionName: string;
  fields: Shape[];
}

const corpus = JSON.parse(readFileSync(corpusFile, "utf8")) as Corpus;
const actions: Action[] = [];
for (const [slug, app] of Object.entries(corpus.apps)) {
  for (const entry of app.actions) {
    const id = entry.action_id;
    actions.push({
      slug,
      id,
      name: String(entry.name ?? id),
      description: String(entry.description ?? ""),
      typeName: `${pascalCase(slug)}${pascalCase(id)}Params`,
      functionName: `${camelCase(slug)}${pascalCase(id)}`,
      fields: shapesOf(app.parameters[id]),
    });
  }
}
const doc = (text: string) => text.replace(/\*\//g, "*\\/");
const fieldDoc = (field: Shape) => [field.label, field.description].filter((t) => t !== undefined).map((t) => doc(t));
const spec = (action: Action) => JSON.stringify({ app: action.slug, action: action.id });

// (a) template strings
let t0 = performance.now();
const parts: string[] = ['import type { ActionRunner, CallOptions } from "./runtime/types.js";\n'];
for (const action of actions) {
  const members = action.fields.map((field) => {
    const docs = fieldDoc(field);
    const comment = docs.length === 0 ? "" : `  /** ${docs.join(" ")} */\n`;
    return `${comment}  ${propertyKey(field.name)}${field.required ? "" : "?"}: ${tsType(field.type)};\n`;
  });
  parts.push(
    `/** Parameters of ${action.slug} "${doc(action.name)}". */\nexport interface ${action.typeName} {\n${members.join("")}}\n`,
  );
  parts.push(
    `/** ${doc(action.description)} */\nexport function ${action.functionName}(runner: ActionRunner, params: ${action.typeName}, options?: CallOptions): Promise<unknown> {\n  return runner.run(${spec(action)}, params, options);\n}\n`,
  );
}
const templateText = parts.join("\n");
const templateMs = performance.now() - t0;

// (b) ts-morph
t0 = performance.now();
const { Project, StructureKind } = await import("ts-morph");
const importMs = performance.now() - t0;
t0 = performance.now();
const statements: StatementStructures[] = [
  {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: "./runtime/types.js",
    isTypeOnly: true,
    namedImports: ["ActionRunner", "CallOptions"],
  },
];
for (const action of actions) {
  statements.push({
    kind: StructureKind.Interface,
    name: action.typeName,
    isExported: true,
    docs: [`Parameters of ${action.slug} "${doc(action.name)}".`],
    properties: action.fields.map((field) => ({
      name: propertyKey(field.name),
      type: tsType(field.type),
      hasQuestionToken: !field.required,
      docs: fieldDoc(field).length === 0 ? [] : [fieldDoc(field).join(" ")],
    })),
  });
  statements.push({
    kind: StructureKind.Function,
    name: action.functionName,
    isExported: true,
    docs: [doc(action.description)],
    parameters: [
      { name: "runner", type: "ActionRunner" },
      { name: "params", type: action.typeName },
      { name: "options", type: "CallOptions", hasQuestionToken: true },
    ],
    returnType: "Promise<unknown>",
    statements: [`return runner.run(${spec(action)}, params, options);`],
  });
}
const project = new Project({ useInMemoryFileSystem: true });
const file = project.createSourceFile("all.ts", { statements });
const tsmorphText = file.getFullText();
const tsmorphMs = performance.now() - t0;

process.stdout.write(
  `${JSON.stringify({
    actions: actions.length,
    templateMs,
    templateBytes: Buffer.byteLength(templateText),
    importMs,
    tsmorphMs,
    tsmorphBytes: Buffer.byteLength(tsmorphText),
  })}\n`,
);

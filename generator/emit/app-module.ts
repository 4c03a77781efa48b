import type { Field, ModelAction, ModelApp, TypeNode } from "../model/types.js";
import { actionRow, nameRow, resultRow } from "./action-table.js";
import { identifier, jsonLiteral, propertyKey, stringLiteral } from "./escape.js";
import { actionDoc, fieldDoc, type DocParts } from "./field-docs.js";
import { GENERATED_HEADER } from "./header.js";
import { writeImport } from "./imports.js";
import { splitUnion, typeText, usesJson } from "./type-text.js";
import { SourceWriter } from "./writer.js";
import { writeResultType } from "./result-type.js";
import { hasPagination, writePagedMember } from "./paged-method.js";
import type { Shape } from "../results/shape.js";

/** What an emitter produced. */
export interface EmittedSource {
  source: string;
}

/** The source of `<app>.ts`: parameter types, the client interface, the action table, the list, the factory. */
export function emitAppModule(app: ModelApp): EmittedSource {
  const w = new SourceWriter();
  const needsJson = app.actions.some((action) => action.fields.some((field) => usesJson(field.type)));
  w.line(GENERATED_HEADER);
  const paged = hasPagination(app);
  writeImport(w, ["defineApp", "listActions"], "./runtime/bind.js");
  // Only an app that declares pagination imports the pager: the others' bundles never hold it.
  if (paged) writeImport(w, ["withPages"], "./runtime/pages.js");
  writeImport(
    w,
    [
      "ActionInfo",
      "ActionRunner",
      ...(app.actions.length > 0 ? ["CallOptions"] : []),
      ...(needsJson ? ["JsonValue"] : []),
      ...(paged ? ["PageOptions"] : []),
    ],
    "./runtime/types.js",
    true,
  );
  for (const action of app.actions) writeParamsType(w, action);
  for (const action of app.actions) if (action.result) writeResultDeclaration(w, action, action.result);
  writeClientInterface(w, app);
  writeTable(w, app);
  writeActionTypes(w, app);
  const info = `readonly ActionInfo<${identifier(app.actionIdType)}, keyof ${identifier(app.clientType)}>[]`;
  w.line();
  w.doc([`Every ${app.slug} action, sorted by action id.`]);
  writeList(w, app, info);
  w.line();
  w.doc([`Binds every ${app.slug} action to a runner: the client, or the client bound to one linked account.`]);
  w.block(`export function ${identifier(app.factory)}(runner: ActionRunner): ${identifier(app.clientType)} {`, () =>
    w.line("return actions.bind(runner);"),
  );
  return { source: w.toString() };
}

function writeDoc(w: SourceWriter, doc: DocParts): void {
  w.doc(doc.paragraphs, doc.tags);
}

/** A parameter type, undocumented: its name says whose it is, and the method's JSDoc says the rest. */
function writeParamsType(w: SourceWriter, action: ModelAction): void {
  w.line();
  const name = identifier(action.paramsType);
  if (action.fields.length === 0) w.line(`export type ${name} = Record<string, never>;`);
  else w.block(`export interface ${name} {`, () => writeMembers(w, action.fields));
}

function writeMembers(w: SourceWriter, fields: readonly Field[]): void {
  for (const field of fields) {
    writeDoc(w, fieldDoc(field));
    writeMember(w, `${propertyKey(field.name)}${field.required ? "" : "?"}`, field.type);
  }
}

/**
 * `key: type;`. An object with fields (inside arrays or not) is a block of documented members; a union
 * that would make the line longer than LINE_LIMIT is written one member per line; anything else is one line.
 */
function writeMember(w: SourceWriter, key: string, type: TypeNode): void {
  const { depth, inner } = arrayNesting(type);
  if (inner.kind === "object" && inner.fields.length > 0) {
    const open = depth === 0 ? "{" : `${"readonly (".repeat(depth - 1)}readonly {`;
    const close = depth === 0 ? "};" : `}[]${")[]".repeat(depth - 1)};`;
    w.block(`${key}: ${open}`, () => writeMembers(w, inner.fields), close);
    return;
  }
  const line = `${key}: ${typeText(type)};`;
  const union = splitUnion(type);
  if (union === undefined || w.withinLimit(line)) {
    w.line(line);
  } else if (union.open === "") {
    w.line(`${key}:`);
    w.indented(() =>
      union.members.forEach((member, at) => w.line(`| ${member}${at === union.members.length - 1 ? ";" : ""}`)),
    );
  } else {
    w.line(`${key}: ${union.open}`);
    w.indented(() => union.members.forEach((member) => w.line(`| ${member}`)));
    w.line(`${union.close};`);
  }
}

/** How many arrays wrap a type, and the type inside them. */
function arrayNesting(type: TypeNode): { depth: number; inner: TypeNode } {
  let depth = 0;
  let inner = type;
  while (inner.kind === "array") {
    depth++;
    inner = inner.items;
  }
  return { depth, inner };
}

function writeClientInterface(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`The ${app.slug} actions: one method per action. Each resolves to the action's \`data\`.`]);
  const client = identifier(app.clientType);
  if (app.actions.length === 0) {
    w.line(`export interface ${client} {}`);
    return;
  }
  w.block(`export interface ${client} {`, () => {
    for (const action of app.actions) {
      writeDoc(w, actionDoc(action));
      if (action.pagination !== undefined) {
        writePagedMember(w, action, action.pagination);
        continue;
      }
      const params = `params${action.hasRequired ? "" : "?"}: ${identifier(action.paramsType)}`;
      const result = action.result === undefined ? "unknown" : identifier(action.result.type);
      w.line(`${identifier(action.method)}(${params}, options?: CallOptions): Promise<${result}>;`);
    }
  });
}

/** The map from action id to params and result types, and the union of the ids. */
function writeActionTypes(w: SourceWriter, app: ModelApp): void {
  const name = identifier(app.actionTypes);
  w.line();
  w.doc([`Every ${app.slug} action's parameter and result types, by action id.`]);
  if (app.actions.length === 0) w.line(`export interface ${name} {}`);
  else
    w.block(`export interface ${name} {`, () => {
      for (const action of app.actions) {
        const result = action.result === undefined ? "unknown" : identifier(action.result.type);
        w.line(`${propertyKey(action.id)}: { params: ${identifier(action.paramsType)}; result: ${result} };`);
      }
    });
  w.line(`export type ${identifier(app.actionIdType)} = keyof ${name};`);
}

/** The runtime's table: one line per action, its row as JSON text (see action-table.ts). */
function writeTable(w: SourceWriter, app: ModelApp): void {
  w.line();
  const open = `const actions = defineApp<${identifier(app.clientType)}>(${stringLiteral(app.slug)}, {`;
  if (app.actions.length === 0) {
    w.line(`${open}});`);
    return;
  }
  const shaped = app.actions.filter((action) => action.result !== undefined);
  const paged = hasPagination(app);
  const rows = () => {
    for (const action of app.actions) w.line(`${identifier(action.method)}: ${jsonLiteral(actionRow(action))},`);
  };
  if (shaped.length === 0 && !paged) {
    w.block(open, rows, "});");
    return;
  }
  w.block(open, rows, shaped.length === 0 ? "}, {}, withPages({" : "}, {");
  if (shaped.length > 0) {
    // The recorded result shapes, for the client's opt-in drift check (`checkResults`).
    w.indented(() => {
      for (const action of shaped)
        if (action.result) w.line(`${identifier(action.method)}: ${jsonLiteral(resultRow(action.result.shape))},`);
    });
    if (!paged) {
      w.line("});");
      return;
    }
    w.line("}, withPages({");
  }
  // The declared pagination schemes, read by the runtime's pager (pages.ts).
  w.indented(() => {
    for (const action of app.actions)
      if (action.pagination !== undefined) w.line(`${identifier(action.method)}: ${jsonLiteral(action.pagination)},`);
  });
  w.line("}));");
}

/**
 * The `<app>Actions` list, from the names table (action-table.ts `nameRow`). The call is marked pure, so that a
 * bundler leaves it and the names out of a bundle that never reads the list.
 */
function writeList(w: SourceWriter, app: ModelApp, info: string): void {
  const open = `export const ${identifier(app.actionsConst)}: ${info} = /* @__PURE__ */ listActions(actions, {`;
  const close = `}) as ${info};`;
  if (app.actions.length === 0) {
    w.line(open + close);
    return;
  }
  w.block(
    open,
    () => {
      for (const action of app.actions) w.line(`${identifier(action.method)}: ${jsonLiteral(nameRow(action))},`);
    },
    close,
  );
}

/** A result type, saying where it comes from: the API publishes none. */
function writeResultDeclaration(w: SourceWriter, action: ModelAction, result: { shape: Shape; type: string }): void {
  w.line();
  w.doc([`The data \`${action.id}\` answers, as recorded in refold.results.json.`]);
  writeResultType(w, result.type, result.shape);
}

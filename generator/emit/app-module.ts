import type { Field, ModelAction, ModelApp, TypeNode } from "../model/types.js";
import { identifier, isUnicodeIdentifier, propertyKey } from "./escape.js";
import { actionDoc, fieldDoc, paramsDoc } from "./field-docs.js";
import { GENERATED_HEADER } from "./header.js";
import { writeImport } from "./imports.js";
import { writeLiteral, type LiteralObject, type LiteralValue } from "./literal.js";
import { typeText, usesJson } from "./type-text.js";
import { SourceWriter } from "./writer.js";

/** What an emitter produced: the source, and whether prettier must lay it out (see SourceWriter). */
export interface EmittedSource {
  source: string;
  unsure: boolean;
}

/** The source of `<app>.ts`: parameter types, the client interface, its factory and the action list. */
export function emitAppModule(app: ModelApp): EmittedSource {
  const w = new SourceWriter();
  const needsJson = app.actions.some((action) => action.fields.some((field) => usesJson(field.type)));
  w.line(GENERATED_HEADER);
  writeImport(w, ["bindActions", "type ActionSpecs"], "./runtime/bind.js");
  writeImport(
    w,
    [
      "ActionInfo",
      "ActionRunner",
      ...(app.actions.length > 0 ? ["CallOptions"] : []),
      ...(needsJson ? ["JsonValue"] : []),
    ],
    "./runtime/types.js",
    true,
  );
  for (const action of app.actions) writeParamsType(w, app, action);
  writeClientInterface(w, app);
  writeActionList(w, app);
  writeSpecs(w, app);
  writeFactory(w, app);
  return { source: w.toString(), unsure: w.unsure };
}

function writeParamsType(w: SourceWriter, app: ModelApp, action: ModelAction): void {
  w.line();
  w.doc(paramsDoc(app, action));
  const name = identifier(action.paramsType);
  if (action.fields.length === 0) {
    const declaration = `export type ${name} = Record<string, never>;`;
    if (w.fits(declaration)) w.line(declaration);
    else w.line(`export type ${name} =`).indented(() => w.line("Record<string, never>;"));
    return;
  }
  w.block(`export interface ${name} {`, () => writeMembers(w, action.fields));
}

function writeMembers(w: SourceWriter, fields: readonly Field[]): void {
  for (const field of fields) {
    w.doc(fieldDoc(field));
    if (isUnicodeIdentifier(field.name)) w.unsure = true;
    const key = `${propertyKey(field.name)}${field.required ? "" : "?"}`;
    const objectFields = nestedObject(field.type);
    // Documented member blocks for an object or an array of objects; deeper arrays print inline.
    if (objectFields !== undefined && objectFields.fields.length > 0 && objectFields.arrayDepth <= 1) {
      const close = `}${"[]".repeat(objectFields.arrayDepth)};`;
      const open = `${key}: ${"readonly ".repeat(objectFields.arrayDepth)}{`;
      w.block(open, () => writeMembers(w, objectFields.fields), close);
    } else {
      writeMember(w, key, field.type);
    }
  }
}

/** `key: type;`, broken the way prettier breaks a long union. */
function writeMember(w: SourceWriter, key: string, type: TypeNode): void {
  const text = typeText(type);
  if (text.includes("\n")) {
    // An inline object type (inside nested arrays): prettier lays it out.
    w.unsure = true;
    w.line(`${key}: ${text};`);
  } else if (w.fits(`${key}: ${text};`)) {
    w.line(`${key}: ${text};`);
  } else if (type.kind === "enum" && type.values.length > 1 && !type.multiple) {
    const union = typeText({ ...type, multiple: false });
    w.line(`${key}:`);
    w.indented(() => (w.fits(`${union};`) ? w.line(`${union};`) : writeUnionLines(w, type, ";")));
  } else if (type.kind === "enum" && type.values.length > 1) {
    const union = typeText({ ...type, multiple: false });
    w.line(`${key}: readonly (`);
    w.indented(() => (w.fits(union) ? w.line(union) : writeUnionLines(w, type, "")));
    w.line(")[];");
  } else {
    // A long line with nothing to break (a long key, a long single literal), or a shape prettier lays out.
    if (
      type.kind !== "string" &&
      type.kind !== "number" &&
      type.kind !== "boolean" &&
      type.kind !== "json" &&
      type.kind !== "unknown"
    ) {
      w.unsure = true;
    }
    w.line(`${key}: ${text};`);
  }
}

function writeUnionLines(w: SourceWriter, type: TypeNode & { kind: "enum" }, end: string): void {
  const members = typeText({ ...type, multiple: false }).split(" | ");
  members.forEach((member, index) => w.line(`| ${member}${index === members.length - 1 ? end : ""}`));
}

/** An object type, possibly inside arrays, whose fields get their own documented members. */
function nestedObject(type: TypeNode, arrayDepth = 0): { fields: readonly Field[]; arrayDepth: number } | undefined {
  if (type.kind === "object") return { fields: type.fields, arrayDepth };
  if (type.kind === "array") return nestedObject(type.items, arrayDepth + 1);
  return undefined;
}

function writeClientInterface(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`The ${app.slug} actions: one method per action. Each resolves to the action's \`data\`.`]);
  if (app.actions.length === 0) {
    w.line(`export interface ${identifier(app.clientType)} {}`);
    return;
  }
  w.block(`export interface ${identifier(app.clientType)} {`, () => {
    for (const action of app.actions) {
      w.doc(actionDoc(action));
      const method = identifier(action.method);
      const params = `params${action.hasRequired ? "" : "?"}: ${identifier(action.paramsType)}`;
      const signature = `${method}(${params}, options?: CallOptions): Promise<unknown>;`;
      if (w.fits(signature)) {
        w.line(signature);
      } else {
        w.line(`${method}(`);
        w.indented(() => w.line(`${params},`).line("options?: CallOptions,"));
        w.line("): Promise<unknown>;");
      }
    }
  });
}

function writeActionList(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`Every ${app.slug} action, sorted by action id.`]);
  const list: LiteralValue = app.actions.map((action): LiteralObject => ({
    expanded: true,
    entries: [
      ["actionId", action.id],
      ["method", action.method],
      ["name", action.name],
      ["description", action.description],
      ["kind", action.kind],
    ],
  }));
  writeLiteral(w, `export const ${identifier(app.actionsConst)}: readonly ActionInfo[] = `, list, ";");
}

function writeSpecs(w: SourceWriter, app: ModelApp): void {
  w.line();
  const specs: LiteralObject = {
    expanded: true,
    entries: app.actions.map((action) => [
      identifier(action.method),
      {
        expanded: true,
        entries: [
          ["app", app.slug],
          ["action", action.id],
          ["kind", action.kind],
          ["fields", action.fields.map(fieldSpec)],
        ],
      },
    ]),
  };
  const opener = `const specs: ActionSpecs<${identifier(app.clientType)}> = `;
  if (!w.fits(`${opener}{`)) w.unsure = true;
  writeLiteral(w, opener, specs, ";");
}

/** The runtime's description of a field, for local validation. */
function fieldSpec(field: Field): LiteralObject {
  return { entries: [["name", field.name], ...typeSpec(field.type), ["required", field.required ? true : undefined]] };
}

function typeSpec(type: TypeNode): [string, LiteralValue | undefined][] {
  switch (type.kind) {
    case "enum":
      return [
        ["type", enumType(type.values)],
        ["values", type.values],
        ["multiple", type.multiple ? true : undefined],
      ];
    case "object":
      return [
        ["type", "object"],
        ["fields", type.fields.map(fieldSpec)],
      ];
    case "array":
      return [
        ["type", "array"],
        ["items", { entries: [["name", ""], ...typeSpec(type.items)] }],
      ];
    default:
      return [["type", type.kind]];
  }
}

/** The primitive type all of an enum's values share, or "unknown" when they are mixed. */
function enumType(values: readonly (string | number | boolean)[]): string {
  const kinds = new Set(values.map((value) => typeof value));
  const [only] = kinds;
  return kinds.size === 1 && only !== undefined ? only : "unknown";
}

function writeFactory(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`Binds every ${app.slug} action to a runner: the client, or the client bound to one linked account.`]);
  const factory = identifier(app.factory);
  const client = identifier(app.clientType);
  const signature = `export function ${factory}(runner: ActionRunner): ${client} {`;
  if (w.fits(signature)) w.line(signature);
  else
    w.line(`export function ${factory}(`)
      .indented(() => w.line("runner: ActionRunner,"))
      .line(`): ${client} {`);
  w.indented(() => w.line("return bindActions(runner, specs);"));
  w.line("}");
}

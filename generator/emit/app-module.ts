import type { Field, ModelAction, ModelApp, TypeNode } from "../model/types.js";
import { identifier, literal, propertyKey, stringLiteral } from "./escape.js";
import { actionDoc, fieldDoc, paramsDoc } from "./field-docs.js";
import { GENERATED_HEADER } from "./header.js";
import { typeText, usesJson } from "./type-text.js";
import { SourceWriter } from "./writer.js";

/** The source of `<app>.ts`: parameter types, the client interface, its factory and the action list. */
export function emitAppModule(app: ModelApp): string {
  const w = new SourceWriter();
  const needsJson = app.actions.some((action) => action.fields.some((field) => usesJson(field.type)));
  w.line(GENERATED_HEADER);
  const types = ["ActionInfo", "ActionRunner", "ActionSpec", "CallOptions", ...(needsJson ? ["JsonValue"] : [])];
  w.line(`import type { ${types.join(", ")} } from "./runtime/types.js";`);
  for (const action of app.actions) writeParamsType(w, app, action);
  writeClientInterface(w, app);
  writeActionList(w, app);
  writeSpecs(w, app);
  writeFactory(w, app);
  return w.toString();
}

function writeParamsType(w: SourceWriter, app: ModelApp, action: ModelAction): void {
  w.line();
  w.doc(paramsDoc(app, action));
  if (action.fields.length === 0) {
    w.line(`export type ${identifier(action.paramsType)} = Record<string, never>;`);
    return;
  }
  w.block(`export interface ${identifier(action.paramsType)} {`, () => writeMembers(w, action.fields));
}

function writeMembers(w: SourceWriter, fields: readonly Field[]): void {
  for (const field of fields) {
    w.doc(fieldDoc(field));
    const key = `${propertyKey(field.name)}${field.required ? "" : "?"}`;
    const objectFields = nestedObject(field.type);
    if (objectFields !== undefined && objectFields.fields.length > 0) {
      const close = `}${"[]".repeat(objectFields.arrayDepth)};`;
      const open = `${key}: ${"readonly ".repeat(objectFields.arrayDepth)}{`;
      w.block(open, () => writeMembers(w, objectFields.fields), close);
    } else {
      w.line(`${key}: ${typeText(field.type)};`);
    }
  }
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
  w.block(`export interface ${identifier(app.clientType)} {`, () => {
    for (const action of app.actions) {
      w.doc(actionDoc(action));
      const optional = action.hasRequired ? "" : "?";
      w.line(
        `${identifier(action.method)}(params${optional}: ${identifier(action.paramsType)}, options?: CallOptions): Promise<unknown>;`,
      );
    }
  });
}

function writeActionList(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`Every ${app.slug} action, sorted by action id.`]);
  w.block(
    `export const ${identifier(app.actionsConst)}: readonly ActionInfo[] = [`,
    () => {
      for (const action of app.actions) {
        w.block(
          "{",
          () => {
            w.line(`actionId: ${stringLiteral(action.id)},`);
            w.line(`method: ${stringLiteral(action.method)},`);
            w.line(`name: ${stringLiteral(action.name)},`);
            w.line(`description: ${stringLiteral(action.description)},`);
            w.line(`kind: ${stringLiteral(action.kind)},`);
          },
          "},",
        );
      }
    },
    "];",
  );
}

function writeSpecs(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.block(
    `const specs: { readonly [M in keyof ${identifier(app.clientType)}]: ActionSpec } = {`,
    () => {
      for (const action of app.actions) {
        w.block(
          `${identifier(action.method)}: {`,
          () => {
            w.line(`app: ${stringLiteral(app.slug)},`);
            w.line(`action: ${stringLiteral(action.id)},`);
            w.line(`kind: ${stringLiteral(action.kind)},`);
            w.line(`fields: [${action.fields.map(fieldSpec).join(", ")}],`);
          },
          "},",
        );
      }
    },
    "};",
  );
}

/** The runtime's description of a field, for local validation. */
function fieldSpec(field: Field): string {
  return `{ name: ${stringLiteral(field.name)}, ${typeSpec(field.type)}${field.required ? ", required: true" : ""} }`;
}

function typeSpec(type: TypeNode): string {
  switch (type.kind) {
    case "enum":
      return `type: ${enumType(type.values)}, values: [${type.values.map(literal).join(", ")}]${type.multiple ? ", multiple: true" : ""}`;
    case "object":
      return `type: "object", fields: [${type.fields.map(fieldSpec).join(", ")}]`;
    case "array":
      return `type: "array", items: { name: "", ${typeSpec(type.items)} }`;
    default:
      return `type: ${stringLiteral(type.kind)}`;
  }
}

/** The primitive type all of an enum's values share, or "unknown" when they are mixed. */
function enumType(values: readonly (string | number | boolean)[]): string {
  const kinds = new Set(values.map((value) => typeof value));
  const [only] = kinds;
  return kinds.size === 1 && only !== undefined ? stringLiteral(only) : stringLiteral("unknown");
}

function writeFactory(w: SourceWriter, app: ModelApp): void {
  w.line();
  w.doc([`Binds every ${app.slug} action to a runner: the client, or the client bound to one linked account.`]);
  w.block(`export function ${identifier(app.factory)}(runner: ActionRunner): ${identifier(app.clientType)} {`, () => {
    w.block(
      "return {",
      () => {
        for (const action of app.actions) {
          const method = identifier(action.method);
          w.line(`${method}: (params, options) => runner.run(specs.${method}, params, options),`);
        }
      },
      "};",
    );
  });
}

/** The action table of generated app modules, read as the compiler reads it, and the specs it must decode to. */
import ts from "typescript";
import type { Field, TypeNode } from "../../generator/model/types.js";
import type { FieldSpec } from "../../templates/runtime/types.js";

/**
 * The field specs generated modules declared as object literals before the table (app-module.ts, at
 * 7923b6b): the table must decode to exactly these, so local validation is unchanged.
 */
export function formerSpec(field: Field): FieldSpec {
  return { name: field.name, ...formerType(field.type), ...(field.required ? { required: true } : {}) };
}

function formerType(type: TypeNode): Omit<FieldSpec, "name"> {
  switch (type.kind) {
    case "enum": {
      const kinds = new Set(type.values.map((value) => typeof value));
      const [only] = kinds;
      const shared = kinds.size === 1 && only !== undefined ? (only as FieldSpec["type"]) : "unknown";
      return { type: shared, values: type.values, ...(type.multiple ? { multiple: true } : {}) };
    }
    case "object":
      return { type: "object", fields: type.fields.map(formerSpec) };
    case "array":
      return { type: "array", items: { name: "", ...formerType(type.items) } };
    default:
      return { type: type.kind };
  }
}

/**
 * The slug and the tables an emitted app module passes to `defineApp` (the action table) and `listActions` (the
 * names table), as the compiler reads them.
 */
export function tableOf(source: string): {
  slug: string;
  table: Record<string, string>;
  names: Record<string, string>;
} {
  const file = ts.createSourceFile("module.ts", source, ts.ScriptTarget.Latest);
  let slug: string | undefined;
  let table: Record<string, string> | undefined;
  let names: Record<string, string> | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const [first, second] = node.arguments;
      if (node.expression.text === "defineApp") {
        if (first === undefined || !ts.isStringLiteral(first)) throw new Error("defineApp's slug is not a string");
        slug = first.text;
        table = entriesOf(file, second);
      }
      if (node.expression.text === "listActions") names = entriesOf(file, second);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (slug === undefined || table === undefined || names === undefined) {
    throw new Error("no defineApp and listActions calls");
  }
  return { slug, table, names };
}

/** A table given as an object literal of `method: "text"` entries. */
function entriesOf(file: ts.SourceFile, node: ts.Expression | undefined): Record<string, string> {
  if (node === undefined || !ts.isObjectLiteralExpression(node)) throw new Error("a table is not an object literal");
  const entries = node.properties.map((property) => {
    if (
      !ts.isPropertyAssignment(property) ||
      !ts.isIdentifier(property.name) ||
      !ts.isStringLiteral(property.initializer)
    )
      throw new Error(`a table entry is not \`method: "text"\`: ${property.getText(file)}`);
    return [property.name.text, property.initializer.text] as const;
  });
  return Object.fromEntries(entries);
}

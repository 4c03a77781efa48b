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

/** The slug and the table an emitted app module passes to `defineApp`, as the compiler reads them. */
export function tableOf(source: string): { slug: string; table: Record<string, string> } {
  const file = ts.createSourceFile("module.ts", source, ts.ScriptTarget.Latest);
  let found: { slug: string; table: Record<string, string> } | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "defineApp") {
      const [slug, table] = node.arguments;
      if (
        slug === undefined ||
        !ts.isStringLiteral(slug) ||
        table === undefined ||
        !ts.isObjectLiteralExpression(table)
      )
        throw new Error("defineApp is not called with a string and an object literal");
      const entries = table.properties.map((property) => {
        if (
          !ts.isPropertyAssignment(property) ||
          !ts.isIdentifier(property.name) ||
          !ts.isStringLiteral(property.initializer)
        )
          throw new Error(`a table entry is not \`method: "text"\`: ${property.getText(file)}`);
        return [property.name.text, property.initializer.text] as const;
      });
      found = { slug: slug.text, table: Object.fromEntries(entries) };
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (found === undefined) throw new Error("no defineApp call");
  return found;
}

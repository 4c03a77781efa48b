import { saysNothing, variantsOf, type Shape, type Variant } from "../results/shape.js";
import { identifier, propertyKey } from "./escape.js";
import type { SourceWriter } from "./writer.js";

/*
 * An action's result type from its recorded shape: closed object types whose keys are the answers' own
 * (through escape.ts, so `x-request-id`, `constructor`, `__proto__` and emoji keep their exact spelling),
 * `?` for keys some sample lacked, `| null` where a sample held null: the two stay distinct. A field only ever
 * seen as null is `unknown` (null says nothing of its type), as is a value cut below the depth limit.
 */

/** Writes `export interface <name> {...}` for an object shape, else `export type <name> = ...;`. */
export function writeResultType(w: SourceWriter, name: string, shape: Shape): void {
  const [only, ...others] = variantsOf(shape);
  if (
    only !== undefined &&
    others.length === 0 &&
    only.type === "object" &&
    "properties" in only &&
    Object.keys(only.properties).length > 0
  ) {
    w.block(`export interface ${identifier(name)} {`, () => writeMembers(w, only));
    return;
  }
  writeTyped(w, `export type ${identifier(name)} = `, shape, ";");
}

/** `head` + the shape's type + `tail`, over several lines when the type holds an object with members. */
function writeTyped(w: SourceWriter, head: string, shape: Shape, tail: string): void {
  const variants = variantsOf(shape);
  const found = variants.map((variant) => ({ variant, block: blockOf(variant) })).find((entry) => entry.block);
  if (found?.block === undefined) {
    w.line(`${head}${inlineType(shape)}${tail}`);
    return;
  }
  // One object with members (perhaps as array items) written as a block, the other variants around it.
  const { object, arrays } = found.block;
  const rest = variants.filter((variant) => variant !== found.variant).map((variant) => ` | ${inlineVariant(variant)}`);
  // `({ ... })[] | null`: an array of objects beside another kind needs parentheses.
  const paren = arrays > 0 && rest.length > 0;
  const close = `}${paren ? ")" : ""}${"[]".repeat(arrays)}${rest.join("")}${tail}`;
  w.block(`${head}${paren ? "(" : ""}{`, () => writeMembers(w, object), close);
}

/** The object with members that a variant is, or holds as (nested) array items with no other kind beside it. */
function blockOf(
  variant: Variant,
  arrays = 0,
): { object: Extract<Variant, { type: "object" }>; arrays: number } | undefined {
  if (isRecordWithMembers(variant)) return { object: variant, arrays };
  if (variant.type !== "array" || variant.items === undefined) return undefined;
  const items = variantsOf(variant.items);
  return items.length === 1 ? blockOf(items[0] as Variant, arrays + 1) : undefined;
}

function writeMembers(w: SourceWriter, object: Extract<Variant, { type: "object" }>): void {
  if (!("properties" in object)) return;
  for (const [key, value] of Object.entries(object.properties)) {
    const format = variantsOf(value).find((variant) => variant.type === "string" && variant.format !== undefined);
    if (format !== undefined && format.type === "string") w.doc([], [["format", String(format.format)]]);
    else if (saysNothing(value) && !("anyOf" in value) && value.type === "null")
      w.doc(["Only null in every sample so far: its type is not known yet."]);
    const optional = object.required.includes(key) ? "" : "?";
    writeTyped(w, `${propertyKey(key)}${optional}: `, value, ";");
  }
}

function isRecordWithMembers(variant: Variant): variant is Extract<Variant, { type: "object" }> {
  return variant.type === "object" && "properties" in variant && Object.keys(variant.properties).length > 0;
}

/** The type on one line (objects with members included, as `{ a: string; b?: number }`). */
function inlineType(shape: Shape): string {
  if (saysNothing(shape)) return "unknown";
  return variantsOf(shape).map(inlineVariant).join(" | ");
}

function inlineVariant(variant: Variant): string {
  switch (variant.type) {
    case undefined:
      return "unknown";
    case "string":
    case "number":
    case "boolean":
    case "null":
      return variant.type;
    case "integer":
      return "number";
    case "array": {
      if (variant.items === undefined) return "unknown[]";
      const items = inlineType(variant.items);
      return variantsOf(variant.items).length > 1 ? `(${items})[]` : `${items}[]`;
    }
    case "object": {
      if (!("properties" in variant))
        return variant.additionalProperties === false
          ? "Record<string, never>"
          : `Record<string, ${inlineType(variant.additionalProperties)}>`;
      const members = Object.entries(variant.properties).map(
        ([key, value]) => `${propertyKey(key)}${variant.required.includes(key) ? "" : "?"}: ${inlineType(value)}`,
      );
      return members.length === 0 ? "Record<string, never>" : `{ ${members.join("; ")} }`;
    }
  }
}

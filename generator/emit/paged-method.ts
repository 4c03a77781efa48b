import type { ModelAction, ModelApp, ModelPagination } from "../model/types.js";
import { variantsOf, type Shape, type Variant } from "../results/shape.js";
import { identifier, stringLiteral } from "./escape.js";
import type { SourceWriter } from "./writer.js";

/*
 * A declared paginated action's member of the client interface: the call, `.pages()` (each page's data, typed by
 * the recorded result) and `.all()` (each item, typed by the result's items array, by indexed access so that no
 * new name is needed). Without a recorded result both are `unknown`.
 */

/** `getContact: { (params, options): Promise<R>; pages(...); all(...) };`, with the method's JSDoc written before. */
export function writePagedMember(w: SourceWriter, action: ModelAction, pagination: ModelPagination): void {
  const params = `params${action.hasRequired ? "" : "?"}: ${identifier(action.paramsType)}`;
  const result = action.result === undefined ? "unknown" : identifier(action.result.type);
  const item =
    action.result === undefined
      ? "unknown"
      : itemTypeText(identifier(action.result.type), action.result.shape, pagination.items);
  const items = pagination.items.join(".");
  w.block(
    `${identifier(action.method)}: {`,
    () => {
      w.line(`(${params}, options?: CallOptions): Promise<${result}>;`);
      w.doc([
        `Every page's data, one call each (declared ${pagination.scheme} pagination on \`${pagination.param}\`); see docs/pagination.md.`,
      ]);
      w.line(`pages(${params}, options?: PageOptions): AsyncGenerator<${result}, void, undefined>;`);
      w.doc([`Every item (\`${items}\`) of every page, in order.`]);
      w.line(`all(${params}, options?: PageOptions): AsyncGenerator<${item}, void, undefined>;`);
    },
    "};",
  );
}

/**
 * The item type as an indexed access into the result type: `R["results"][number]`; `Extract<..., object>` where
 * the shape allows a value that is not an object (null, an optional key, another kind), and `Extract<...,
 * readonly unknown[]>` where the items may be something else than an array.
 */
export function itemTypeText(resultType: string, shape: Shape, path: readonly string[]): string {
  let text = resultType;
  let node: Shape | undefined = shape;
  let exact = true;
  for (const key of path) {
    const variants: Variant[] = node === undefined ? [] : variantsOf(node);
    const only = variants.length === 1 ? variants[0] : undefined;
    if (!exact || only?.type !== "object") text = `Extract<${text}, object>`;
    const object = variants.find((variant) => variant.type === "object");
    if (object !== undefined && object.type === "object" && "properties" in object) {
      node = object.properties[key];
      exact = object.required.includes(key);
    } else {
      node =
        object !== undefined && object.type === "object" && object.additionalProperties !== false
          ? object.additionalProperties
          : undefined;
      exact = node !== undefined;
    }
    text = `${text}[${stringLiteral(key)}]`;
  }
  const variants = node === undefined ? [] : variantsOf(node);
  if (!exact || variants.length !== 1 || variants[0]?.type !== "array") text = `Extract<${text}, readonly unknown[]>`;
  return `${text}[number]`;
}

/** True when some action of the app declares pagination. */
export function hasPagination(app: ModelApp): boolean {
  return app.actions.some((action) => action.pagination !== undefined);
}

import { variantsOf, type Shape, type StringFormat, type Variant } from "../results/shape.js";
import { MOCK_TIME } from "./data.js";
import { setOwn } from "../util/records.js";

/*
 * The emulator's answer for an action with a recorded result shape: deterministic data of that shape, so
 * users' tests exercise their result handling. Every key of a record is present (optional ones too), a
 * union answers its first kind that is not null, an array holds one item, and values are fixed: the same
 * shape always gives the same bytes.
 */

const FORMAT_VALUES: Readonly<Record<StringFormat, string>> = {
  "date-time": MOCK_TIME,
  email: "user@example.com",
  uri: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
};

/** Deterministic data of the shape. */
export function dataOfShape(shape: Shape, depth = 0): unknown {
  const variants = variantsOf(shape);
  const chosen = variants.find((variant) => variant.type !== "null") ?? variants[0];
  return chosen === undefined || depth > 32 ? null : dataOfVariant(chosen, depth);
}

function dataOfVariant(variant: Variant, depth: number): unknown {
  switch (variant.type) {
    case "string":
      return variant.format !== undefined ? FORMAT_VALUES[variant.format] : "string";
    case "integer":
      return 1;
    case "number":
      return 1.5;
    case "boolean":
      return true;
    case "null":
    case undefined:
      return null;
    case "array":
      return variant.items === undefined ? [] : [dataOfShape(variant.items, depth + 1)];
    case "object": {
      const data: Record<string, unknown> = {};
      const entries: [string, Shape][] =
        "properties" in variant
          ? Object.entries(variant.properties)
          : variant.additionalProperties === false
            ? []
            : [["key", variant.additionalProperties]];
      for (const [key, value] of entries) setOwn(data, key, dataOfShape(value, depth + 1));
      return data;
    }
  }
}

import type { Field, TypeNode } from "../../generator/model/types.js";

/** A valid value of a normalized type, for calling every action with plausible params. */
export function sampleValue(type: TypeNode, seed: string): unknown {
  switch (type.kind) {
    case "string":
    case "unknown":
      return `v-${seed}`;
    case "number":
      return 7;
    case "boolean":
      return true;
    case "json":
      return { seed, list: [1, "two", null] };
    case "enum":
      return type.multiple ? [type.values[0]] : type.values[0];
    case "object":
      return sampleParams(type.fields, seed, true);
    case "array":
      return [sampleValue(type.items, `${seed}[0]`)];
  }
}

/** Params with every field set (or only the required ones), keyed by the exact wire names. */
export function sampleParams(fields: readonly Field[], seed: string, all = true): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    if (!all && !field.required) continue;
    Object.defineProperty(params, field.name, {
      value: sampleValue(field.type, `${seed}.${field.name}`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return params;
}

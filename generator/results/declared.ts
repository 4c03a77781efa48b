import { codegenError, type CodegenError } from "../util/diagnostics.js";
import { setOwn } from "../util/records.js";
import { compareCodeUnits } from "../util/stable-json.js";
import {
  boundShape,
  mergeShapes,
  RESULT_MAX_DEPTH,
  UNKNOWN,
  type Shape,
  type ShapeNotes,
  type StringFormat,
} from "./shape.js";

/*
 * A declared JSON Schema (`record --schema`), reduced to what the results file holds: types, keys, required
 * keys, nullability and the four string formats. `enum` and `const` widen to their values' types (a results
 * file holds no values), `$ref`s into the schema's own `$defs`/`definitions` are followed, and objects are
 * closed like recorded ones (a declared result is described completely). Keywords that cannot be reduced
 * (`allOf`, `not`, `if`, remote `$ref`s) are refused, naming where they stand. The limits of learned shapes
 * hold here too: objects and arrays RESULT_MAX_DEPTH levels down are `unknown` (so a recursive schema, a
 * tree of `$ref`s, is cut there), and a record of more than RESULT_MAX_KEYS properties is a map. A schema
 * that names no type (`{}`, `true`) is `unknown`.
 */

const FORMATS: ReadonlySet<string> = new Set<StringFormat>(["date-time", "email", "uri", "uuid"]);
const UNSUPPORTED = ["allOf", "not", "if", "then", "else", "patternProperties", "dependentSchemas", "prefixItems"];

type Schema = Record<string, unknown>;

/**
 * The Shape a declared JSON Schema describes; a usage error naming the path when it cannot be reduced.
 * `notes`, when given, learns where a limit applied.
 */
export function shapeFromSchema(schema: unknown, file: string, notes?: ShapeNotes): Shape {
  if (!isSchema(schema)) throw declared(file, "", "is not a JSON Schema object");
  return boundShape(reduce(schema, { root: schema, file, notes }, "", "", 0, 0), notes);
}

interface Context {
  root: Schema;
  file: string;
  notes: ShapeNotes | undefined;
}

/**
 * `at` is the JSON pointer in the schema (for errors), `path` the field path (for notes), `depth` the
 * shape's nesting, `hops` the `$ref`s and `anyOf`s followed since the last nesting (a loop of them never ends).
 */
function reduce(schema: Schema, context: Context, at: string, path: string, depth: number, hops: number): Shape {
  const { root, file } = context;
  if (hops > 64) throw declared(file, at, "refers to itself without nesting");
  const ref = schema["$ref"];
  if (typeof ref === "string") return reduce(resolveRef(ref, root, file, at), context, at, path, depth, hops + 1);
  const refused = UNSUPPORTED.find((keyword) => Object.hasOwn(schema, keyword));
  if (refused !== undefined) throw declared(file, at, `uses ${refused}, which results files cannot hold`);
  const branches = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(branches)) {
    const shapes = branches.map((branch, index) => {
      if (branch === true) return UNKNOWN;
      if (!isSchema(branch)) throw declared(file, `${at}/anyOf/${index}`, "is not a schema");
      return reduce(branch, context, at, path, depth, hops + 1);
    });
    if (shapes.length === 0) throw declared(file, at, "has an empty anyOf");
    return withNull(shapes.reduce(mergeShapes), schema);
  }
  const types = typesOf(schema, file, at);
  // No type, enum, const, anyOf or $ref: anything.
  if (types.length === 0) return UNKNOWN;
  const shapes = types.map((type) => typed(type, schema, context, at, path, depth));
  return withNull(shapes.reduce(mergeShapes), schema);
}

/** The schema's types: `type` (one or a list), else the JSON types of its `enum` or `const` values. */
function typesOf(schema: Schema, file: string, at: string): string[] {
  const type = schema["type"];
  if (typeof type === "string") return [type];
  if (Array.isArray(type) && type.every((t) => typeof t === "string")) return type;
  const values = Array.isArray(schema["enum"])
    ? (schema["enum"] as unknown[])
    : Object.hasOwn(schema, "const")
      ? [schema["const"]]
      : [];
  if (values.length === 0 && type !== undefined) throw declared(file, at, "has a type that is not a string or a list");
  return [...new Set(values.map(jsonType))];
}

function typed(type: string, schema: Schema, context: Context, at: string, path: string, depth: number): Shape {
  const { file } = context;
  if ((type === "array" || type === "object") && depth >= RESULT_MAX_DEPTH) {
    const what = path === "" ? "the result" : `field ${path}`;
    context.notes?.add(
      path,
      "depth",
      `${what} is declared as an object or array ${RESULT_MAX_DEPTH} levels deep, the depth limit: recorded as unknown`,
    );
    return UNKNOWN;
  }
  switch (type) {
    case "string": {
      const format = schema["format"];
      return typeof format === "string" && FORMATS.has(format)
        ? { type: "string", format: format as StringFormat }
        : { type: "string" };
    }
    case "integer":
    case "number":
    case "boolean":
    case "null":
      return { type };
    case "array": {
      const items = schema["items"];
      if (items === undefined || items === true) return { type: "array" };
      if (!isSchema(items)) throw declared(file, `${at}/items`, "is not a schema");
      return { type: "array", items: reduce(items, context, `${at}/items`, `${path}[]`, depth + 1, 0) };
    }
    case "object":
      return objectShape(schema, context, at, path, depth);
    default:
      throw declared(file, at, `has type ${JSON.stringify(type)}, which is not a JSON type`);
  }
}

function objectShape(schema: Schema, context: Context, at: string, path: string, depth: number): Shape {
  const { file } = context;
  const properties = schema["properties"];
  const extra = schema["additionalProperties"];
  if (properties === undefined && isSchema(extra))
    return {
      type: "object",
      additionalProperties: reduce(extra, context, `${at}/additionalProperties`, `${path}[*]`, depth + 1, 0),
    };
  const declaredProperties = isSchema(properties) ? properties : {};
  const required = Array.isArray(schema["required"])
    ? (schema["required"] as unknown[]).filter((key) => typeof key === "string")
    : [];
  const shaped: Record<string, Shape> = {};
  for (const key of Object.keys(declaredProperties).sort(compareCodeUnits)) {
    const property = declaredProperties[key];
    const field = path === "" ? key : `${path}.${key}`;
    if (property === true) {
      setOwn(shaped, key, UNKNOWN);
      continue;
    }
    if (!isSchema(property)) throw declared(file, `${at}/properties/${key}`, "is not a schema");
    const value = reduce(property, context, `${at}/properties/${key}`, field, depth + 1, 0);
    setOwn(shaped, key, value);
  }
  const known = required.filter((key) => Object.hasOwn(shaped, key)).sort(compareCodeUnits);
  return { type: "object", properties: shaped, required: [...new Set(known)], additionalProperties: false };
}

/** OpenAPI 3.0's `nullable: true` adds null too. */
function withNull(shape: Shape, schema: Schema): Shape {
  return schema["nullable"] === true ? mergeShapes(shape, { type: "null" }) : shape;
}

function resolveRef(ref: string, root: Schema, file: string, at: string): Schema {
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const defs = match === null ? undefined : root[match[1] as string];
  const target =
    match !== null && isSchema(defs)
      ? defs[decodeURIComponent((match[2] as string).replace(/~1/g, "/").replace(/~0/g, "~"))]
      : undefined;
  if (!isSchema(target))
    throw declared(file, at, `refers to ${JSON.stringify(ref)}, which is not in the schema's own $defs`);
  return target;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function declared(file: string, at: string, problem: string): CodegenError {
  const message = `the schema in ${file}${at === "" ? "" : ` at ${at}`} ${problem}`;
  return codegenError(message, "declared-schema", "declare types, properties, required, items, anyOf and formats only");
}

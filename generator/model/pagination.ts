import { declaredPaths, type PathRole } from "../config/pagination.js";
import type { PaginationConfig } from "../config/types.js";
import { CONFIG_DEFAULTS } from "../config/defaults.js";
import { closest } from "../config/validate.js";
import { variantsOf, type Shape, type Variant } from "../results/shape.js";
import type { Diagnostic } from "../util/diagnostics.js";
import type { Field, ModelPagination } from "./types.js";

/*
 * A declared pagination (config `pagination.<app>.<action>`) checked against what is known of the action:
 * its params from the lock, and its recorded result shape when there is one. A path must not be contradicted
 * by the shape: `items` must lead to an array through keys the shape holds (the item type is read from it);
 * the next cursor, has-next flag, page count and total may pass through an object no sample filled yet
 * (HubSpot's last page answers `paging: {}`), but not through a key the shape lacks beside keys it holds.
 */

/** Which JSON kinds each path may end on. */
const ENDS: Readonly<Record<PathRole, readonly string[]>> = {
  next: ["string", "integer", "number"],
  hasNext: ["boolean", "string"],
  count: ["integer", "number", "string"],
  total: ["integer", "number", "string"],
  items: ["array"],
};

/** Param types a page number, offset or cursor can be sent as. */
const PARAM_KINDS = new Set(["string", "number", "json", "unknown"]);

/** Where the problems are reported: `pagination.hubspot.get_contact`. */
interface Context {
  app: string;
  action: string;
  diagnostics: Diagnostic[];
}

/** The model's pagination for one action, or the diagnostics naming what does not fit. */
export function checkPagination(
  app: string,
  action: string,
  declared: PaginationConfig,
  fields: readonly Field[],
  shape: Shape | undefined,
): { pagination?: ModelPagination; diagnostics: Diagnostic[] } {
  const ctx: Context = { app, action, diagnostics: [] };
  const { scheme, param } = schemeOf(declared);
  const paramField = checkParam(ctx, `${scheme}.param`, param, fields);
  if (declared.offset?.limit !== undefined) checkParam(ctx, "offset.limit", declared.offset.limit, fields);
  if (shape !== undefined)
    for (const { key, role, path } of declaredPaths(declared)) checkPath(ctx, key, path, shape, role);
  if (ctx.diagnostics.length > 0) return { diagnostics: ctx.diagnostics };
  const split = (path: string | undefined) => (path === undefined ? undefined : path.split("."));
  const pagination: ModelPagination = {
    scheme,
    param,
    items: declared.items.split("."),
    ...optional("next", split(declared.cursor?.next)),
    ...optional("hasNext", split(declared.cursor?.hasNext ?? declared.page?.hasNext)),
    ...optional("count", split(declared.page?.count)),
    ...optional("start", declared.page === undefined ? undefined : (declared.page.start ?? CONFIG_DEFAULTS.pageStart)),
    ...optional("total", split(declared.offset?.total)),
    ...(paramField?.type.kind === "string" ? { text: true as const } : {}),
  };
  return { pagination, diagnostics: [] };
}

function schemeOf(declared: PaginationConfig): { scheme: ModelPagination["scheme"]; param: string } {
  if (declared.cursor !== undefined) return { scheme: "cursor", param: declared.cursor.param };
  if (declared.page !== undefined) return { scheme: "page", param: declared.page.param };
  // The config loader has made sure exactly one scheme is declared.
  return { scheme: "offset", param: declared.offset?.param ?? "" };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function checkParam(ctx: Context, key: string, name: string, fields: readonly Field[]): Field | undefined {
  const field = fields.find((candidate) => candidate.name === name);
  const where = `pagination.${ctx.app}.${ctx.action}.${key}`;
  if (field === undefined) {
    const names = fields.map((candidate) => candidate.name);
    const guess = closest(name, names);
    report(
      ctx,
      `${where} "${name}" is not a parameter of ${ctx.action} (its parameters: ${names.join(", ") || "none"})`,
      guess !== undefined
        ? `did you mean "${guess}"?`
        : `name one of ${ctx.action}'s parameters, or remove the declaration`,
    );
    return undefined;
  }
  if (!PARAM_KINDS.has(field.type.kind))
    report(
      ctx,
      `${where} "${name}" is a ${field.rawType} parameter, which cannot take a cursor, page number or offset`,
      "name the parameter that does",
    );
  return field;
}

/** Walks a dotted path through the recorded shape and reports the first thing that contradicts it. */
function checkPath(ctx: Context, key: string, path: string, shape: Shape, kind: PathRole): void {
  const where = `pagination.${ctx.app}.${ctx.action}.${key} "${path}"`;
  const hint = `record an answer that holds it (\`refold-codegen record ${ctx.app} ${ctx.action}\`), or fix the path`;
  let node: Shape = shape;
  const segments = path.split(".");
  for (const [index, segment] of segments.entries()) {
    const at = segments.slice(0, index).join(".") || "data";
    const step = stepInto(node, segment);
    if (step === "open" && kind !== "items") return;
    if (step === "open" || step === "missing") {
      report(ctx, `${where}: the recorded result has no "${segment}" in ${at}`, hint);
      return;
    }
    if (step === "not-object") {
      report(ctx, `${where}: ${at} is not an object in the recorded result`, "fix the path");
      return;
    }
    node = step;
  }
  const kinds = variantsOf(node).map((variant) => variant.type ?? "unknown");
  if (kinds.includes("unknown") || kinds.some((found) => ENDS[kind].includes(found))) return;
  report(
    ctx,
    `${where} is ${kinds.join(" | ")} in the recorded result, not ${ENDS[kind].join(" or ")}`,
    "fix the path",
  );
}

/** The shape under `key`; "open" when nothing is known there yet (unknown, an empty object); else why not. */
function stepInto(node: Shape, key: string): Shape | "open" | "missing" | "not-object" {
  const variants = variantsOf(node).filter((variant) => variant.type !== "null");
  if (variants.some((variant) => variant.type === undefined)) return "open";
  const objects = variants.filter(
    (variant): variant is Extract<Variant, { type: "object" }> => variant.type === "object",
  );
  if (objects.length === 0) return "not-object";
  for (const object of objects) {
    if ("properties" in object) {
      if (Object.hasOwn(object.properties, key)) return object.properties[key] as Shape;
      if (Object.keys(object.properties).length === 0) return "open";
    } else if (object.additionalProperties !== false) return object.additionalProperties;
    else return "open";
  }
  return "missing";
}

function report(ctx: Context, message: string, hint: string): void {
  ctx.diagnostics.push({ severity: "error", code: "pagination", app: ctx.app, action: ctx.action, message, hint });
}

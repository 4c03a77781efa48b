import type { PaginationConfig } from "../config/types.js";
import { variantsOf, type Shape, type Variant } from "../results/shape.js";
import { isRecord, setOwn } from "../util/records.js";
import { dataOfShape } from "./shaped.js";

/*
 * The emulator's answer for a declared paginated action: a list of `total` items served a page at a time, each
 * page data of the recorded shape (`{}` without one) with the page's items at the declared path and the scheme's
 * markers set: the next cursor (absent on the last page), the has-next flag or the page count, or the total.
 * Cursors are opaque but work (`cursor-<index>`); a cursor the emulator never gave is a 400.
 *
 * Page size: the body's page size parameter (the offset scheme's `limit`, else the first of `PAGE_SIZE_PARAMS`
 * the body holds) when it is a positive whole number, else `MOCK_PAGE_SIZE`. Items are data of the recorded item shape, each with its own `id`.
 */

/** Items a declared action lists by default (`mock --page-items`). */
export const MOCK_PAGE_ITEMS = 25;
/** Items a page holds when the request names no page size. */
export const MOCK_PAGE_SIZE = 10;

/** Parameters that commonly name the page size. */
const PAGE_SIZE_PARAMS = ["limit", "per_page", "page_size", "pageSize", "perPage"];

/** A request the emulator refuses with a 400 naming the parameter. */
export class MockInputError extends Error {}

/** The `data` of one page of a declared action, from the request's body. */
export function pagedAnswer(
  declared: PaginationConfig,
  shape: Shape | undefined,
  total: number,
): (body: unknown) => unknown {
  const items = declared.items.split(".");
  const itemShape = shape === undefined ? undefined : shapeAt(shape, items, true);
  return (body) => {
    const params = isRecord(body) ? body : {};
    const sizeParam = declared.offset?.limit ?? PAGE_SIZE_PARAMS.find((name) => Object.hasOwn(params, name));
    const size = (sizeParam === undefined ? undefined : positive(params[sizeParam])) ?? MOCK_PAGE_SIZE;
    const index = startIndex(declared, params, size);
    const end = Math.min(index + size, total);
    const data = shape === undefined ? {} : dataOfShape(shape);
    const page = isRecord(data) ? data : {};
    const list = Array.from({ length: Math.max(0, end - index) }, (_, at) => itemOf(index + at, itemShape));
    setPath(page, items, list);
    markers(declared, page, shape, { index, size, total, more: end < total });
    return page;
  };
}

function startIndex(declared: PaginationConfig, params: Record<string, unknown>, size: number): number {
  if (declared.cursor !== undefined) {
    const cursor = params[declared.cursor.param];
    if (cursor === undefined || cursor === null || cursor === "") return 0;
    const match = /^cursor-(\d+)$/.exec(String(cursor));
    if (match === null) throw new MockInputError(`Invalid cursor for parameter '${declared.cursor.param}'`);
    return Number(match[1]);
  }
  if (declared.page !== undefined) {
    const start = declared.page.start ?? 1;
    const page = whole(params[declared.page.param]) ?? start;
    if (page < start) throw new MockInputError(`Parameter '${declared.page.param}' must be at least ${start}`);
    return (page - start) * size;
  }
  return whole(params[declared.offset?.param ?? ""]) ?? 0;
}

function markers(
  declared: PaginationConfig,
  page: Record<string, unknown>,
  shape: Shape | undefined,
  at: { index: number; size: number; total: number; more: boolean },
): void {
  const set = (path: string, value: unknown) => {
    const segments = path.split(".");
    setPath(page, segments, fit(value, shape === undefined ? undefined : shapeAt(shape, segments, false)));
  };
  if (declared.cursor !== undefined) {
    if (at.more) set(declared.cursor.next, `cursor-${at.index + at.size}`);
    else removePath(page, declared.cursor.next.split("."));
  }
  const hasNext = declared.cursor?.hasNext ?? declared.page?.hasNext;
  if (hasNext !== undefined) set(hasNext, at.more);
  if (declared.page?.count !== undefined) set(declared.page.count, Math.ceil(at.total / at.size));
  if (declared.offset?.total !== undefined) set(declared.offset.total, at.total);
}

/** The n-th item (0-based): data of the item shape with its own id (`item-1`, ...), or `{ id }`. */
function itemOf(n: number, shape: Shape | undefined): unknown {
  const item = shape === undefined ? {} : dataOfShape(shape);
  const kinds = shape === undefined ? [] : variantsOf(shape).map((variant) => variant.type);
  if (!isRecord(item))
    return kinds.includes("string")
      ? `item-${n + 1}`
      : kinds.includes("integer") || kinds.includes("number")
        ? n + 1
        : item;
  const idShape = shape === undefined ? undefined : shapeAt(shape, ["id"], false);
  const numeric =
    idShape !== undefined &&
    variantsOf(idShape).every((variant) => variant.type === "integer" || variant.type === "number");
  setOwn(item, "id", numeric ? n + 1 : `item-${n + 1}`);
  return item;
}

/** A value as the recorded shape has it at its path: a number or flag as text where the shape says string. */
function fit(value: unknown, shape: Shape | undefined): unknown {
  if (shape === undefined) return value;
  const kinds = variantsOf(shape).map((variant) => variant.type);
  const own = typeof value === "boolean" ? ["boolean"] : ["integer", "number"];
  return kinds.includes("string") && !kinds.some((kind) => kind !== undefined && own.includes(kind))
    ? String(value)
    : value;
}

/** The shape at a path (array items when `items`), or undefined where the shape says nothing. */
function shapeAt(shape: Shape, path: readonly string[], items: boolean): Shape | undefined {
  let node: Shape | undefined = shape;
  for (const key of path) {
    const object: Variant | undefined =
      node === undefined ? undefined : variantsOf(node).find((variant) => variant.type === "object");
    const properties: Record<string, Shape> | undefined =
      object?.type === "object" && "properties" in object ? (object.properties as Record<string, Shape>) : undefined;
    node = properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined;
  }
  if (!items || node === undefined) return node;
  const array = variantsOf(node).find((variant) => variant.type === "array");
  return array !== undefined && array.type === "array" ? array.items : undefined;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (isRecord(next)) current = next;
    else {
      const made: Record<string, unknown> = {};
      setOwn(current, key, made);
      current = made;
    }
  }
  setOwn(current, path[path.length - 1] ?? "", value);
}

function removePath(target: Record<string, unknown>, path: readonly string[]): void {
  let current: unknown = target;
  for (const key of path.slice(0, -1))
    current = isRecord(current) && Object.hasOwn(current, key) ? current[key] : undefined;
  if (isRecord(current)) delete current[path[path.length - 1] ?? ""];
}

function whole(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function positive(value: unknown): number | undefined {
  const number = whole(value);
  return number !== undefined && number > 0 ? number : undefined;
}

/**
 * Declared pagination (docs/pagination.md): `.pages()` and `.all()` on the methods of the actions the config
 * declares a scheme for. Each page is one ordinary call of the method, so every page keeps the client's
 * retries, 429 pause, deadlines and limiter. Only app modules that declare pagination import this module.
 *
 * Stop rules: the last page (no next cursor; has-next false; the page count or the total reached), an empty
 * page, `maxPages`, `maxItems`. A cursor that an earlier page already answered, or a page that answers the same
 * items as the page before, throws RefoldPaginationError instead of looping forever.
 */

import type { MethodExtension } from "./bind.js";
import { RefoldPaginationError } from "./errors.js";
import { checkNumber } from "./options.js";
import type { CallOptions, PageOptions } from "./types.js";

/** One action's scheme, as the generated app module hands it over (JSON text); paths start at `data`. */
export interface PageScheme {
  readonly scheme: "cursor" | "page" | "offset";
  /** The parameter the cursor, page number or offset goes in. */
  readonly param: string;
  readonly items: readonly string[];
  /** cursor: the next cursor's path. */
  readonly next?: readonly string[];
  /** cursor or page: the has-next flag's path; page: or the page count's. With neither, an empty page ends it. */
  readonly hasNext?: readonly string[];
  readonly count?: readonly string[];
  /** page: the first page's number when the params give none. */
  readonly start?: number;
  /** offset: the total item count's path; without it, an empty page ends it. */
  readonly total?: readonly string[];
  /** The parameter is text: numbers and cursors go as strings. */
  readonly text?: true;
}

type Method = (params?: object, options?: CallOptions) => Promise<unknown>;
type Params = Record<string, unknown>;

interface Walk {
  readonly scheme: PageScheme;
  readonly call: Method;
  readonly where: { app: string; action: string };
  request: Params;
  /** The page number or the offset of the next request. */
  position: number;
  /** Every cursor sent so far. */
  readonly seen: Set<string>;
  /** The previous page's items as JSON, to catch a page that ignores the parameter. */
  last?: string;
  page: number;
}

/** The extension a generated app module passes to `defineApp`: adds `.pages()`/`.all()` to declared methods. */
export function withPages(schemes: Readonly<Record<string, string>>): MethodExtension {
  return (method, call, app, action) => {
    if (!Object.prototype.hasOwnProperty.call(schemes, method)) return;
    const scheme = JSON.parse(schemes[method] as string) as PageScheme;
    const where = { app, action };
    Object.defineProperties(call, {
      pages: { value: (params?: object, options?: PageOptions) => pages(scheme, call, where, params, options) },
      all: { value: (params?: object, options?: PageOptions) => all(scheme, call, where, params, options) },
    });
  };
}

/** Every page's `data`, one call each, until a stop rule says the last page has come. */
async function* pages(
  scheme: PageScheme,
  call: Method,
  where: Walk["where"],
  params: object = {},
  options: PageOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const { maxPages, maxItems, ...callOptions } = options;
  if (maxPages !== undefined) checkNumber("maxPages", maxPages, where);
  if (maxItems !== undefined) checkNumber("maxItems", maxItems, where);
  const walk = begin(scheme, call, where, params as Params);
  let items = 0;
  while (maxPages === undefined || walk.page < maxPages) {
    const page = await call(walk.request, callOptions);
    walk.page++;
    const found = itemsOf(page, walk);
    if (found.length === 0) return;
    yield page;
    items += found.length;
    if ((maxItems !== undefined && items >= maxItems) || !advance(walk, page, found.length)) return;
  }
}

/** Every item of every page, in order. */
async function* all(
  scheme: PageScheme,
  call: Method,
  where: Walk["where"],
  params?: object,
  options: PageOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  let count = 0;
  if (options.maxItems === 0) return;
  for await (const page of pages(scheme, call, where, params, options)) {
    for (const item of at(page, scheme.items) as unknown[]) {
      yield item;
      if (options.maxItems !== undefined && ++count >= options.maxItems) return;
    }
  }
}

function begin(scheme: PageScheme, call: Method, where: Walk["where"], params: Params): Walk {
  const given = Object.prototype.hasOwnProperty.call(params, scheme.param) ? params[scheme.param] : undefined;
  const walk: Walk = { scheme, call, where, request: { ...params }, position: 0, seen: new Set(), page: 0 };
  if (scheme.scheme === "cursor") {
    if (given !== undefined && given !== null && given !== "") walk.seen.add(String(given));
    return walk;
  }
  const number = toNumber(given);
  walk.position = number ?? (scheme.scheme === "page" ? (scheme.start ?? 1) : 0);
  walk.request = { ...walk.request, [scheme.param]: encode(scheme, walk.position) };
  return walk;
}

/** Sets the next request's parameter; false when this page was the last. */
function advance(walk: Walk, page: unknown, count: number): boolean {
  const { scheme } = walk;
  if (scheme.scheme === "cursor") return nextCursor(walk, page);
  if (scheme.scheme === "page") {
    const flag = scheme.hasNext === undefined ? true : at(page, scheme.hasNext);
    const pagesTotal = scheme.count === undefined ? undefined : toNumber(at(page, scheme.count));
    const last = pagesTotal !== undefined && walk.position - (scheme.start ?? 1) + 1 >= pagesTotal;
    if (last || !isTrue(flag)) return false;
    walk.position++;
  } else {
    walk.position += count;
    const total = scheme.total === undefined ? undefined : toNumber(at(page, scheme.total));
    if (total !== undefined && walk.position >= total) return false;
  }
  walk.request = { ...walk.request, [scheme.param]: encode(scheme, walk.position) };
  return true;
}

function nextCursor(walk: Walk, page: unknown): boolean {
  const { scheme } = walk;
  const cursor = at(page, scheme.next ?? []);
  if (cursor === undefined || cursor === null || cursor === "") return false;
  if (scheme.hasNext !== undefined && !isTrue(at(page, scheme.hasNext))) return false;
  if (typeof cursor !== "string" && typeof cursor !== "number")
    fail(walk, `the next cursor at "${(scheme.next ?? []).join(".")}" is neither a string nor a number`);
  const key = String(cursor);
  if (walk.seen.has(key))
    fail(
      walk,
      `the next cursor repeats one sent before (does the action read "${scheme.param}"?); stopped rather than loop`,
    );
  walk.seen.add(key);
  walk.request = { ...walk.request, [scheme.param]: scheme.text === true ? key : cursor };
  return true;
}

/** The page's items; an absent (or null) list is an empty page. */
function itemsOf(page: unknown, walk: Walk): readonly unknown[] {
  const items = at(page, walk.scheme.items);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) fail(walk, `the items at "${walk.scheme.items.join(".")}" are not an array`);
  const text = JSON.stringify(items);
  if (items.length > 0 && text === walk.last)
    fail(
      walk,
      `the page answered the same items as the page before (does the action read "${walk.scheme.param}"?); stopped rather than loop`,
    );
  walk.last = text;
  return items;
}

/** The value at a path of own keys, or undefined. */
function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.prototype.hasOwnProperty.call(current, key))
      return undefined;
    current = (current as Params)[key];
  }
  return current;
}

function isTrue(flag: unknown): boolean {
  return flag === true || flag === "true";
}

function toNumber(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

function encode(scheme: PageScheme, position: number): string | number {
  return scheme.text === true ? String(position) : position;
}

function fail(walk: Walk, message: string): never {
  throw new RefoldPaginationError(message, { ...walk.where, page: walk.page });
}

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
import { hasOwn } from "./validate.js";

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

/** The extension a generated app module passes to `defineApp`: adds `.pages()`/`.all()` to declared methods. */
export function withPages(schemes: Readonly<Record<string, string>>): MethodExtension {
  return (method, call, app, action) => {
    if (!hasOwn(schemes, method)) return;
    const scheme = JSON.parse(schemes[method] as string) as PageScheme;
    const walk = (params?: object, options: PageOptions = {}) =>
      pages(scheme, call, { app, action }, params as Params | undefined, options);
    Object.defineProperties(call, {
      pages: { value: walk },
      all: { value: (params?: object, options: PageOptions = {}) => all(walk(params, options), scheme, options) },
    });
  };
}

/** Every page's `data`, one call each, until a stop rule says the last page has come. */
async function* pages(
  scheme: PageScheme,
  call: Method,
  where: { app: string; action: string },
  params: Params = {},
  options: PageOptions,
): AsyncGenerator<unknown, void, undefined> {
  const { maxPages, maxItems, ...callOptions } = options;
  if (maxPages !== undefined) checkNumber("maxPages", maxPages, where);
  if (maxItems !== undefined) checkNumber("maxItems", maxItems, where);
  const cursor = scheme.scheme === "cursor";
  const given = hasOwn(params, scheme.param) ? params[scheme.param] : undefined;
  // The next request's page number or offset; with cursors, every cursor sent so far.
  let position = toNumber(given) ?? (scheme.scheme === "page" ? (scheme.start ?? 1) : 0);
  const seen = new Set(cursor && !isEmpty(given) ? [String(given)] : []);
  let value = cursor ? given : encode(scheme, position);
  let page = 0;
  let items = 0;
  let previous: string | undefined;
  const fail = (message: string): never => {
    throw new RefoldPaginationError(message, { ...where, page });
  };
  const loops = `(does the action read "${scheme.param}"?)`;
  while (maxPages === undefined || page < maxPages) {
    const data = await call(value === undefined ? { ...params } : { ...params, [scheme.param]: value }, callOptions);
    page++;
    const found = valueAt(data, scheme.items) ?? [];
    if (!Array.isArray(found)) return fail(`the items at "${scheme.items.join(".")}" are not an array`);
    if (found.length === 0) return;
    const json = JSON.stringify(found);
    if (json === previous) fail(`the page answered the same items as the page before ${loops}`);
    previous = json;
    yield data;
    items += found.length;
    if (maxItems !== undefined && items >= maxItems) return;
    if (cursor) {
      value = valueAt(data, scheme.next);
      if (isEmpty(value) || (scheme.hasNext && !isTrue(valueAt(data, scheme.hasNext)))) return;
      if (typeof value !== "string" && typeof value !== "number") {
        fail(`the next cursor at "${scheme.next?.join(".")}" is neither a string nor a number`);
      }
      if (seen.has(String(value))) fail(`the next cursor repeats one sent before ${loops}`);
      seen.add(String(value));
      if (scheme.text) value = String(value);
      continue;
    }
    if (scheme.scheme === "page") {
      const count = toNumber(valueAt(data, scheme.count));
      if (scheme.hasNext && !isTrue(valueAt(data, scheme.hasNext))) return;
      if (count !== undefined && position - (scheme.start ?? 1) + 1 >= count) return;
      position++;
    } else {
      position += found.length;
      const total = toNumber(valueAt(data, scheme.total));
      if (total !== undefined && position >= total) return;
    }
    value = encode(scheme, position);
  }
}

/** Every item of every page, in order. */
async function* all(
  walk: AsyncGenerator<unknown, void, undefined>,
  scheme: PageScheme,
  { maxItems }: PageOptions,
): AsyncGenerator<unknown, void, undefined> {
  let count = 0;
  if (maxItems === 0) return;
  for await (const page of walk) {
    for (const item of valueAt(page, scheme.items) as unknown[]) {
      yield item;
      if (maxItems !== undefined && ++count >= maxItems) return;
    }
  }
}

/** The value at a path of own keys; undefined when any key is missing, or when there is no path. */
export function valueAt(value: unknown, path: readonly string[] | undefined): unknown {
  let current = path === undefined ? undefined : value;
  for (const key of path ?? []) {
    if (typeof current !== "object" || current === null || !hasOwn(current, key)) return undefined;
    current = (current as Params)[key];
  }
  return current;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
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

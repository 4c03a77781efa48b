import type { PaginationConfig } from "../config/types.js";
import { variantsOf, type Shape } from "../results/shape.js";
import { checkPagination } from "./pagination.js";
import type { Field } from "./types.js";

/*
 * A likely pagination scheme for an action, from its parameter names and its recorded result shape: what
 * `record` and `list --json` print as the config entry to add. Never applied by itself: a suggestion is only
 * text until someone puts it in refold.codegen.json. A path the shape does not hold yet (HubSpot's last page
 * answers `paging: {}`) is guessed from the parameter's usual partner and said to be a guess.
 */

/** A suggested declaration, and what in it is guessed rather than seen in the recorded shape. */
export interface PaginationSuggestion {
  entry: PaginationConfig;
  /** One line per guess; empty when every path is in the recorded shape. */
  notes: string[];
}

const CURSOR_PARAMS = [
  "after",
  "cursor",
  "page_token",
  "pagetoken",
  "next_page_token",
  "nextpagetoken",
  "starting_after",
  "continuation",
  "next_cursor",
];
const PAGE_PARAMS = ["page", "page_number", "pagenumber", "page_num", "pagenum"];
const OFFSET_PARAMS = ["offset", "skip", "start", "start_at", "startat"];
const LIMIT_PARAMS = ["limit", "page_size", "pagesize", "per_page", "perpage", "max_results", "maxresults", "count"];
const ITEM_KEYS = [
  "results",
  "items",
  "data",
  "records",
  "rows",
  "docs",
  "entries",
  "values",
  "elements",
  "list",
  "objects",
];
const NEXT_KEYS = [
  "after",
  "next_cursor",
  "nextcursor",
  "next_page_token",
  "nextpagetoken",
  "cursor",
  "next",
  "continuation",
];
const HAS_NEXT_KEYS = ["hasnextpage", "has_next_page", "has_more", "hasmore", "has_next", "hasnext", "more"];
const COUNT_KEYS = ["total_pages", "totalpages", "page_count", "pagecount", "pages"];
const TOTAL_KEYS = ["total", "total_count", "totalcount", "totalresults", "total_results", "count"];
/** Where a cursor parameter's next value usually is, when the recorded shape does not say. */
const NEXT_GUESS: Readonly<Record<string, string>> = {
  after: "paging.next.after",
  page_token: "nextPageToken",
  pagetoken: "nextPageToken",
};

/** The likely scheme, or undefined when the parameter names suggest none. */
export function suggestPagination(
  fields: readonly Field[],
  shape: Shape | undefined,
): PaginationSuggestion | undefined {
  const param = (names: readonly string[]) => fields.find((field) => names.includes(field.name.toLowerCase()))?.name;
  const notes: string[] = [];
  const paths = shape === undefined ? [] : leafPaths(shape);
  const find = (keys: readonly string[], kinds: readonly string[]) =>
    paths.find(
      (path) =>
        keys.includes((path.key.split(".").pop() ?? "").toLowerCase()) &&
        path.kinds.some((kind) => kinds.includes(kind)),
    )?.key;
  const items =
    find(ITEM_KEYS, ["array"]) ??
    paths.find((path) => path.kinds.includes("array"))?.key ??
    guess(notes, "items", "results");
  const cursor = param(CURSOR_PARAMS);
  const page = param(PAGE_PARAMS);
  const offset = param(OFFSET_PARAMS);
  let entry: PaginationConfig;
  if (cursor !== undefined) {
    const next =
      find(NEXT_KEYS, ["string", "integer"]) ??
      guess(notes, "cursor.next", NEXT_GUESS[cursor.toLowerCase()] ?? "next_cursor");
    const hasNext = find(HAS_NEXT_KEYS, ["boolean"]);
    entry = { cursor: { param: cursor, next, ...(hasNext !== undefined ? { hasNext } : {}) }, items };
  } else if (page !== undefined) {
    const hasNext = find(HAS_NEXT_KEYS, ["boolean"]);
    const count = hasNext === undefined ? find(COUNT_KEYS, ["integer", "number"]) : undefined;
    entry = {
      page: { param: page, ...(hasNext !== undefined ? { hasNext } : {}), ...(count !== undefined ? { count } : {}) },
      items,
    };
    if (hasNext === undefined && count === undefined)
      notes.push("no has-next flag or page count in the recorded result: an empty page will end the walk");
  } else if (offset !== undefined) {
    const limit = param(LIMIT_PARAMS);
    const total = find(TOTAL_KEYS, ["integer", "number"]);
    entry = {
      offset: { param: offset, ...(limit !== undefined ? { limit } : {}), ...(total !== undefined ? { total } : {}) },
      items,
    };
    if (total === undefined) notes.push("no total in the recorded result: an empty page will end the walk");
  } else return undefined;
  if (shape === undefined) notes.push("no result shape is recorded yet: record one so the items are typed");
  // A suggestion the generator would refuse is no help.
  if (checkPagination("app", "action", entry, fields, shape).diagnostics.length > 0) return undefined;
  return { entry, notes };
}

function guess(notes: string[], key: string, path: string): string {
  notes.push(
    `${key} "${path}" is a guess: the recorded result does not hold it yet; check it against a page that has a next page`,
  );
  return path;
}

/** Every path of the shape, two levels deep at most through objects (not into arrays), with the kinds there. */
function leafPaths(shape: Shape, prefix = "", depth = 0): { key: string; kinds: string[] }[] {
  const out: { key: string; kinds: string[] }[] = [];
  for (const variant of variantsOf(shape)) {
    if (variant.type !== "object" || !("properties" in variant)) continue;
    for (const [key, value] of Object.entries(variant.properties)) {
      if (key.includes(".")) continue;
      const path = prefix === "" ? key : `${prefix}.${key}`;
      out.push({ key: path, kinds: variantsOf(value).map((inner) => inner.type ?? "unknown") });
      if (depth < 2) out.push(...leafPaths(value, path, depth + 1));
    }
  }
  return out;
}

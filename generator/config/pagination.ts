import type { Diagnostic } from "../util/diagnostics.js";
import type { PaginationConfig } from "./types.js";

/** The config's `pagination` as written (after schema validation): app slug -> action id -> declaration. */
export type RawPagination = Readonly<Record<string, Readonly<Record<string, PaginationConfig>>>>;

const SCHEMES = ["cursor", "page", "offset"] as const;

/** What a declared path must lead to: the items array, the next cursor, the has-next flag, a count or a total. */
export type PathRole = "items" | "next" | "hasNext" | "count" | "total";

/** Every path a declaration names: its key in the config, its role and the dotted path as written. */
export function declaredPaths(declared: PaginationConfig): { key: string; role: PathRole; path: string }[] {
  const all: [string, PathRole, string | undefined][] = [
    ["items", "items", declared.items],
    ["cursor.next", "next", declared.cursor?.next],
    ["cursor.hasNext", "hasNext", declared.cursor?.hasNext],
    ["page.hasNext", "hasNext", declared.page?.hasNext],
    ["page.count", "count", declared.page?.count],
    ["offset.total", "total", declared.offset?.total],
  ];
  return all.flatMap(([key, role, path]) => (path === undefined ? [] : [{ key, role, path }]));
}

/**
 * What the schema cannot say about `pagination`: exactly one scheme per action, a page scheme with at most
 * one of `hasNext` and `count`, dotted paths without empty segments, and only configured apps. Whether the
 * params and paths fit the action is checked later, against the lock and the recorded shape (model/pagination.ts).
 */
export function paginationProblems(pagination: RawPagination | undefined, slugs: readonly string[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const [app, actions] of Object.entries(pagination ?? {})) {
    if (!slugs.includes(app)) {
      problems.push(
        problem(
          `pagination.${app} names an app that is not in apps`,
          app,
          undefined,
          `add "${app}" to apps, or remove pagination.${app}`,
        ),
      );
      continue;
    }
    for (const [action, declared] of Object.entries(actions))
      problems.push(...declarationProblems(app, action, declared));
  }
  return problems;
}

function declarationProblems(app: string, action: string, declared: PaginationConfig): Diagnostic[] {
  const where = `pagination.${app}.${action}`;
  const schemes = SCHEMES.filter((scheme) => declared[scheme] !== undefined);
  if (schemes.length !== 1) {
    const found = schemes.length === 0 ? "none" : schemes.join(" and ");
    return [
      problem(
        `${where} must declare exactly one of cursor, page or offset (found ${found})`,
        app,
        action,
        "keep the one scheme the action uses",
      ),
    ];
  }
  const problems: Diagnostic[] = [];
  if (declared.page?.hasNext !== undefined && declared.page.count !== undefined)
    problems.push(problem(`${where}.page has both hasNext and count`, app, action, "keep the one the answer holds"));
  for (const { key, path } of declaredPaths(declared)) {
    if (path.split(".").some((segment) => segment === ""))
      problems.push(
        problem(
          `${where}.${key} "${path}" has an empty segment`,
          app,
          action,
          'write the path as dotted keys relative to data, e.g. "paging.next.after"',
        ),
      );
  }
  return problems;
}

function problem(message: string, app: string, action: string | undefined, hint: string): Diagnostic {
  return { severity: "error", code: "pagination", app, ...(action !== undefined ? { action } : {}), message, hint };
}

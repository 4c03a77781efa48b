import type { ResolvedConfig } from "../config/types.js";
import type { LockFile } from "../lock/types.js";
import { normalizeParameters } from "../model/fields.js";
import { inferKind } from "../model/kinds.js";
import { suggestPagination, type PaginationSuggestion } from "../model/suggest.js";
import { entryOf, type ResultsFile } from "../results/file.js";

/** What `record` and `list --json` say of an action's pagination: declared already, or a suggested entry. */
export type PaginationAdvice =
  { declared: true } | { suggested: PaginationSuggestion & { config: Record<string, unknown> } };

/**
 * Whether a read action is declared paginated in the config, else the entry its params and recorded shape
 * suggest (the config's `pagination` object to add, ready to paste). Undefined for writes and for reads whose
 * params suggest no scheme. Never changes the config.
 */
export function paginationAdvice(
  config: Pick<ResolvedConfig, "apps">,
  lock: LockFile | undefined,
  results: ResultsFile,
  slug: string,
  action: string,
): PaginationAdvice | undefined {
  const app = config.apps.find((candidate) => candidate.slug === slug);
  if (app?.pagination !== undefined && Object.hasOwn(app.pagination, action)) return { declared: true };
  if (inferKind(action, app?.kinds ?? {}) !== "read") return undefined;
  const locked = lock !== undefined && Object.hasOwn(lock.apps, slug) ? lock.apps[slug] : undefined;
  const payload =
    locked !== undefined && Object.hasOwn(locked.parameters, action) ? locked.parameters[action] : undefined;
  if (payload === undefined) return undefined;
  const { fields } = normalizeParameters(payload, { app: slug, action });
  const suggested = suggestPagination(fields, entryOf(results, slug, action)?.schema);
  if (suggested === undefined) return undefined;
  return { suggested: { ...suggested, config: { pagination: { [slug]: { [action]: suggested.entry } } } } };
}

/** The lines `record` prints for a suggestion: the entry to add, then what in it is guessed. */
export function describeAdvice(slug: string, action: string, advice: PaginationAdvice | undefined): string[] {
  if (advice === undefined || "declared" in advice) return [];
  return [
    `  ${slug} ${action} looks paginated: to get .pages() and .all(), add to refold.codegen.json (merge into "pagination" if it has one):`,
    ...JSON.stringify(advice.suggested.config, null, 2)
      .split("\n")
      .map((line) => `    ${line}`),
    ...advice.suggested.notes.map((note) => `  note: ${note}`),
    "  see docs/pagination.md",
  ];
}

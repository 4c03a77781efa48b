import { fetchJson } from "./http.js";
import { resolveOptions, type SourceOptions } from "./options.js";

/** One app enabled for the org, as `GET /api/v2/public/application` describes it (only what we use). */
export interface Application {
  slug: string;
  name?: string;
  connected: boolean;
}

const PATH = "/api/v2/public/application";

/**
 * The apps enabled for the org, connected ones first, then by slug. Entries without a string `slug` are
 * skipped. Throws a CodegenError (exit 3) when the list cannot be read.
 */
export async function listApplications(options: SourceOptions): Promise<Application[]> {
  const value = await fetchJson(resolveOptions(options), PATH, "listing the org's apps");
  const apps: Application[] = [];
  for (const entry of Array.isArray(value) ? value : []) {
    if (typeof entry !== "object" || entry === null || typeof (entry as { slug?: unknown }).slug !== "string") continue;
    const { slug, name, connected, connected_accounts } = entry as Record<string, unknown>;
    apps.push({
      slug: slug as string,
      ...(typeof name === "string" ? { name } : {}),
      // `connected`, or (older answers) a count or list of connected accounts.
      connected:
        connected === true ||
        (typeof connected_accounts === "number" && connected_accounts > 0) ||
        (Array.isArray(connected_accounts) && connected_accounts.length > 0),
    });
  }
  return apps.sort(
    (a, b) => Number(b.connected) - Number(a.connected) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
}

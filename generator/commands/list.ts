import { credentialsFrom } from "../config/credentials.js";
import { CodegenError, ExitCode } from "../util/diagnostics.js";
import { loadProjectConfig, type CommonOptions } from "../config/options.js";
import { readLock } from "../lock/read.js";
import type { RawActionEntry } from "../lock/types.js";
import { inferKind } from "../model/kinds.js";
import { compareCodeUnits } from "../util/stable-json.js";
import { readResults } from "../results/file.js";
import { paginationAdvice, type PaginationAdvice } from "./pagination-advice.js";
import type { ActionKind } from "../../templates/runtime/types.js";

/** One row of `refold-codegen list`. */
export interface ListedAction {
  actionId: string;
  name: string;
  description: string;
  kind: ActionKind;
  /** A read action's pagination: declared in the config, or the entry its params and recorded shape suggest. */
  pagination?: PaginationAdvice;
}

/** Options of `list`. */
export interface ListOptions extends CommonOptions {
  /** Ask the API even when the lock has the app. */
  refresh?: boolean;
  /** Never ask the API. */
  offline?: boolean;
}

/** An app's actions: from the lock when it has the app (unless `refresh`), else from the API. */
export async function list(
  slug: string,
  options: ListOptions = {},
): Promise<{ app: string; source: "lock" | "api"; actions: ListedAction[] }> {
  const config = await loadProjectConfig(options);
  const lock = await readLock(config.lockfilePath);
  const kinds = config.apps.find((app) => app.slug === slug)?.kinds ?? {};
  const locked = lock !== undefined && Object.hasOwn(lock.apps, slug) ? lock.apps[slug] : undefined;
  let entries: readonly RawActionEntry[];
  let source: "lock" | "api";
  if (locked && options.refresh !== true) {
    [entries, source] = [locked.actions, "lock"];
  } else if (options.offline === true) {
    const message = `app ${slug} is not in the lock file ${config.lockfilePath}`;
    throw new CodegenError(message, ExitCode.usage, [
      { severity: "error", code: "not-in-lock", app: slug, message, hint: "drop --offline to ask the API" },
    ]);
  } else {
    const auth = credentialsFrom(options.env ?? process.env, "listing actions");
    const { listActions } = await import("../source/pull.js");
    const result = await listActions(slug, {
      baseUrl: config.baseUrl,
      auth,
      ...(config.linkedAccountId !== undefined ? { linkedAccountId: config.linkedAccountId } : {}),
      rateLimit: config.rateLimit,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    [entries, source] = [result, "api"];
  }
  const results = await readResults(config.resultsPath);
  const actions = [...entries]
    .sort((a, b) => compareCodeUnits(a.action_id, b.action_id))
    .map((entry): ListedAction => {
      const pagination = paginationAdvice(config, lock, results, slug, entry.action_id);
      return {
        actionId: entry.action_id,
        name: typeof entry.name === "string" ? entry.name : entry.action_id,
        description: typeof entry.description === "string" ? entry.description : "",
        kind: inferKind(entry.action_id, kinds),
        ...(pagination !== undefined ? { pagination } : {}),
      };
    });
  return { app: slug, source, actions };
}

import { actionsPath } from "../util/api-paths.js";
import { CodegenError, ExitCode, type Diagnostic } from "../util/diagnostics.js";
import type { PulledApp, RawActionEntry } from "../lock/types.js";
import { failureDiagnostic, type CallContext } from "./errors.js";
import { JsonClient } from "./http.js";
import { resolveOptions, type ProgressEvent, type SourceOptions } from "./options.js";
import { redact } from "./text.js";
import { checkActionList, checkParameters } from "./validate.js";

/** One app to pull, as the config names it: all its actions, or only `include`, minus `exclude`. */
export interface AppRequest {
  slug: string;
  include?: string[];
  exclude?: string[];
}

/** What a pull produced: each app that came back whole, and every problem met on the way. */
export interface PullResult {
  /** Only apps whose list and every selected action were pulled without an error; never a partial app. */
  apps: Record<string, PulledApp>;
  /** Errors and warnings of the whole run; the caller fails if any is an error. */
  diagnostics: Diagnostic[];
}

/** An app's action list, for the `list` command. */
export interface ListResult {
  /** Valid entries in API order, each kept exactly as returned; empty when the list could not be read. */
  actions: RawActionEntry[];
  diagnostics: Diagnostic[];
}

/**
 * Pulls each app's action list and every selected action's parameter schema, raw. Network and API
 * problems are collected as diagnostics, never thrown, and one failure does not stop the rest.
 * Throws a usage CodegenError only for invalid options.
 */
export async function pullApps(apps: AppRequest[], options: SourceOptions): Promise<PullResult> {
  const resolved = resolveOptions(options);
  const client = new JsonClient(resolved);
  const diagnostics: Diagnostic[] = [];
  const pulled: [string, PulledApp][] = [];
  try {
    const requests = uniqueApps(apps, diagnostics);
    const outcomes = await Promise.all(requests.map((app) => pullApp(client, app, resolved.onProgress)));
    for (const [index, outcome] of outcomes.entries()) {
      diagnostics.push(...outcome.diagnostics);
      if (outcome.app !== undefined) pulled.push([requests[index]!.slug, outcome.app]);
    }
  } finally {
    await client.close();
  }
  // Object.fromEntries defines own properties, so a slug such as "__proto__" stays a plain key.
  return { apps: Object.fromEntries(pulled), diagnostics: diagnostics.map((d) => redact(d, resolved.secrets)) };
}

/**
 * An app's action list for `refold-codegen list`: the valid entries in API order, each as returned.
 * Throws a CodegenError (exit 3) listing every problem when the list cannot be read or has bad entries.
 */
export async function listActions(slug: string, options: SourceOptions): Promise<RawActionEntry[]> {
  const { actions, diagnostics } = await readActionList(slug, options);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new CodegenError(`cannot list the actions of app ${slug}: ${first.message}`, ExitCode.network, diagnostics);
  }
  return actions;
}

/** Like `listActions`, but returns problems (warnings too) as diagnostics instead of throwing. */
export async function readActionList(slug: string, options: SourceOptions): Promise<ListResult> {
  const resolved = resolveOptions(options);
  const client = new JsonClient(resolved);
  try {
    const { actions, diagnostics } = await fetchList(client, slug);
    return { actions, diagnostics: diagnostics.map((d) => redact(d, resolved.secrets)) };
  } finally {
    await client.close();
  }
}

async function fetchList(client: JsonClient, app: string): Promise<ListResult> {
  const path = actionsPath(app);
  const context: CallContext = { app, url: client.url(path) };
  const fetched = await client.getJson(path);
  if (!fetched.ok) return { actions: [], diagnostics: [failureDiagnostic(fetched.failure, context)] };
  return checkActionList(fetched.value, context);
}

async function pullApp(
  client: JsonClient,
  request: AppRequest,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): Promise<{ app?: PulledApp; diagnostics: Diagnostic[] }> {
  const app = request.slug;
  const list = await fetchList(client, app);
  const diagnostics = [...list.diagnostics];
  // Without a list there is nothing to select from; one error says why.
  if (list.actions.length === 0 && diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const actions = select(list.actions, request, client.url(actionsPath(app)), diagnostics);
  const total = actions.length;
  let done = 0;
  report(onProgress, { app, done, total });
  const results = await Promise.all(
    actions.map(async (entry) => {
      const result = await pullAction(client, app, entry.action_id);
      done += 1;
      report(onProgress, { app, action: entry.action_id, done, total });
      return result;
    }),
  );
  const parameters: [string, unknown][] = [];
  for (const [index, result] of results.entries()) {
    if ("diagnostic" in result) diagnostics.push(result.diagnostic);
    else parameters.push([actions[index]!.action_id, result.value]);
  }
  // The list answered, but a partial app would be mistaken for a complete one downstream.
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { app: { actions, parameters: Object.fromEntries(parameters) }, diagnostics };
}

async function pullAction(
  client: JsonClient,
  app: string,
  action: string,
): Promise<{ value: unknown } | { diagnostic: Diagnostic }> {
  const path = actionsPath(app, action);
  const context: CallContext = { app, action, url: client.url(path) };
  const fetched = await client.getJson(path);
  if (!fetched.ok) return { diagnostic: failureDiagnostic(fetched.failure, context) };
  const problem = checkParameters(fetched.value, context);
  return problem === undefined ? { value: fetched.value } : { diagnostic: problem };
}

/** Applies `include` then `exclude`; an included id the API does not list is an error, an excluded one a warning. */
function select(actions: RawActionEntry[], request: AppRequest, url: string, diagnostics: Diagnostic[]) {
  const known = new Set(actions.map((a) => a.action_id));
  const unknown = (ids: string[] | undefined) => [...new Set(ids ?? [])].filter((id) => !known.has(id));
  for (const id of unknown(request.include)) {
    diagnostics.push({
      severity: "error",
      code: "unknown-action",
      app: request.slug,
      action: id,
      url,
      message: `the config includes action "${id}", which the app's action list does not have`,
      hint: `run \`refold-codegen list ${request.slug}\` to see the app's action ids`,
    });
  }
  for (const id of unknown(request.exclude)) {
    diagnostics.push({
      severity: "warning",
      code: "unknown-action",
      app: request.slug,
      action: id,
      url,
      message: `the config excludes action "${id}", which the app's action list does not have`,
    });
  }
  const include = request.include === undefined ? undefined : new Set(request.include);
  const exclude = new Set(request.exclude ?? []);
  return actions.filter((a) => (include === undefined || include.has(a.action_id)) && !exclude.has(a.action_id));
}

function uniqueApps(apps: AppRequest[], diagnostics: Diagnostic[]): AppRequest[] {
  const seen = new Set<string>();
  return apps.filter((app) => {
    if (!seen.has(app.slug)) {
      seen.add(app.slug);
      return true;
    }
    diagnostics.push({
      severity: "warning",
      code: "duplicate-app",
      app: app.slug,
      message: "the app is requested more than once; the first request is used",
    });
    return false;
  });
}

// A throwing progress callback is the caller's bug; it must not abort a pull half-way.
function report(onProgress: ((event: ProgressEvent) => void) | undefined, event: ProgressEvent): void {
  try {
    onProgress?.(event);
  } catch {
    // ignored on purpose
  }
}

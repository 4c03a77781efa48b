import type { AppConfig, PaginationConfig } from "../config/types.js";
import type { Diagnostic } from "../util/diagnostics.js";
import type { LockApp, LockFile, RawActionEntry } from "../lock/types.js";
import { normalizeParameters } from "./fields.js";
import { inferKind } from "./kinds.js";
import {
  actionTypeName,
  appExports,
  assignNames,
  fileBase,
  idSuffix,
  INDEX_NAMES,
  memberName,
  RESERVED_FILES,
  ROOT_MEMBERS,
} from "./naming.js";
import { RUNTIME_EXPORTS } from "./runtime-exports.js";
import { selectActions } from "./select.js";
import type { AppNames, Field, Model, ModelAction, ModelApp, ModelPagination } from "./types.js";
import { checkPagination } from "./pagination.js";
import { closest } from "../config/validate.js";
import { compareCodeUnits } from "../util/stable-json.js";
import { isWellFormed } from "../util/unicode.js";
import { EMPTY_RESULTS, entryOf, type ResultsFile } from "../results/file.js";
import type { Shape } from "../results/shape.js";

/** The model and everything noticed while building it; an error-severity diagnostic means generation must not write. */
export interface BuildResult {
  model: Model;
  diagnostics: Diagnostic[];
}

/**
 * Normalizes the lock's raw payloads for the configured apps and chooses every name in the output; with
 * `results`, the recorded result shapes type the actions' results.
 */
export function buildModel(
  lock: LockFile,
  apps: readonly AppConfig[],
  results: ResultsFile = EMPTY_RESULTS,
): BuildResult {
  const { plan, diagnostics } = planApps(apps, (slug) => Object.hasOwn(lock.apps, slug));
  // Apps in slug order, each taking the names the earlier ones left free.
  const exported = new Set(plan.exported);
  const modelApps = plan.apps.map((app) => {
    const built = buildApp(
      app,
      lock.apps[app.slug] as LockApp,
      exported,
      (id) => entryOf(results, app.slug, id)?.schema,
    );
    diagnostics.push(...built.diagnostics);
    return built.app;
  });
  return { model: { apps: modelApps }, diagnostics };
}

/** One configured app the lock has, with the names decided from the configured slugs alone. */
interface AppPlan extends AppNames {
  config: AppConfig;
}

/**
 * Decides each configured app's own names (property, file, client and factory names) from the slugs, and
 * reports the apps that cannot be generated (a lone surrogate in the slug, no entry in the lock).
 */
function planApps(
  apps: readonly AppConfig[],
  inLock: (slug: string) => boolean,
): { plan: { apps: AppPlan[]; exported: Set<string> }; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const exported = new Set<string>([...RUNTIME_EXPORTS, ...INDEX_NAMES]);
  const configured = [...apps]
    .sort((a, b) => compareCodeUnits(a.slug, b.slug))
    .filter((app) => {
      if (!isWellFormed(app.slug)) {
        const message = "the slug has a lone UTF-16 surrogate and cannot appear in a URL";
        diagnostics.push({ severity: "error", code: "bad-slug", app: app.slug, message });
        return false;
      }
      if (inLock(app.slug)) return true;
      diagnostics.push({
        severity: "error",
        code: "not-in-lock",
        app: app.slug,
        message: "the app is not in the lock file",
        hint: "run `refold-codegen generate --refresh` (or `pull`)",
      });
      return false;
    });
  const slugs = configured.map((app) => app.slug);
  const appMember = (slug: string) => memberName(slug, "app", ROOT_MEMBERS);
  const properties = assignNames(slugs, appMember);
  const files = assignNames(slugs, fileBase, RESERVED_FILES);
  reportCollisions(properties, appMember, "app property", undefined, diagnostics);

  const planned = configured.map((app): AppPlan => {
    let property = properties.get(app.slug) ?? app.slug;
    const exportsOf = (name: string): string[] => {
      const { typePrefix: _prefix, ...names } = appExports(name);
      return Object.values(names);
    };
    if (exportsOf(property).some((name) => exported.has(name))) property = `${property}_${idSuffix(app.slug)}`;
    exportsOf(property).forEach((name) => exported.add(name));
    return {
      config: app,
      slug: app.slug,
      property,
      file: files.get(app.slug) ?? fileBase(app.slug),
      ...appExports(property),
    };
  });
  return { plan: { apps: planned, exported }, diagnostics };
}

/** An action's names; no parameter type when the lock has no parameters for it (an error). */
interface ActionNames {
  id: string;
  method: string;
  paramsType?: string;
  /** Reserved for every action, shaped or not, so that recording a shape never renames another type. */
  resultType?: string;
}

function withResult(shape: Shape | undefined, type: string | undefined): Pick<ModelAction, "result"> {
  return shape !== undefined && type !== undefined ? { result: { shape, type } } : {};
}

/** One app's model from its lock entry; its type names are added to `exported`. */
function buildApp(
  app: AppPlan,
  entry: LockApp,
  exported: Set<string>,
  resultOf: (id: string) => Shape | undefined,
): { app: ModelApp; diagnostics: Diagnostic[] } {
  const naming = nameActions(app, entry, exported);
  const diagnostics = [...naming.diagnostics];
  const byId = new Map<string, RawActionEntry>();
  for (const action of entry.actions) if (!byId.has(action.action_id)) byId.set(action.action_id, action);
  const actions: ModelAction[] = [];
  for (const { id, method, paramsType, resultType } of naming.actions) {
    if (paramsType === undefined) {
      diagnostics.push({
        severity: "error",
        code: "not-in-lock",
        app: app.slug,
        action: id,
        message: "the lock has no parameters for this action",
        hint: "run `refold-codegen generate --refresh`",
      });
      continue;
    }
    const { fields, diagnostics: fieldDiagnostics } = normalizeParameters(entry.parameters[id], {
      app: app.slug,
      action: id,
    });
    diagnostics.push(...fieldDiagnostics);
    const raw = byId.get(id);
    const paged = paginationOf(app, id, fields, resultOf(id));
    diagnostics.push(...paged.diagnostics);
    actions.push({
      id,
      method,
      paramsType,
      name: typeof raw?.name === "string" && raw.name.trim() !== "" ? raw.name : id,
      description: typeof raw?.description === "string" ? raw.description : "",
      kind: inferKind(id, app.config.kinds),
      fields,
      hasRequired: fields.some((field) => field.required),
      ...withResult(resultOf(id), resultType),
      ...(paged.pagination !== undefined ? { pagination: paged.pagination } : {}),
    });
  }
  diagnostics.push(...undeclaredPaged(app, actions));
  if (actions.length === 0)
    diagnostics.push({
      severity: "warning",
      code: "no-actions",
      app: app.slug,
      message: "the app has no actions; its client is empty",
    });
  const { config: _config, ...names } = app;
  return { app: { ...names, actions }, diagnostics };
}

/** The action's declared pagination, checked against its fields and recorded shape. */
function paginationOf(
  app: AppPlan,
  id: string,
  fields: readonly Field[],
  shape: Shape | undefined,
): { pagination?: ModelPagination; diagnostics: Diagnostic[] } {
  const declared = app.config.pagination;
  if (declared === undefined || !Object.hasOwn(declared, id)) return { diagnostics: [] };
  return checkPagination(app.slug, id, declared[id] as PaginationConfig, fields, shape);
}

/** Declarations of actions that are not generated (not listed, excluded, misspelt). */
function undeclaredPaged(app: AppPlan, actions: readonly ModelAction[]): Diagnostic[] {
  const generated = new Set(actions.map((action) => action.id));
  return Object.keys(app.config.pagination ?? {})
    .filter((id) => !generated.has(id))
    .map((id) => {
      const guess = closest(id, [...generated]);
      return {
        severity: "error" as const,
        code: "pagination",
        app: app.slug,
        action: id,
        message: `pagination.${app.slug}.${id} names an action that is not generated`,
        hint:
          guess !== undefined
            ? `did you mean "${guess}"?`
            : `run \`refold-codegen list ${app.slug}\` to see its actions`,
      };
    });
}

function nameActions(
  app: AppPlan,
  entry: LockApp,
  exported: Set<string>,
): { actions: ActionNames[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const selection = selectActions(entry.actions, app.config);
  const { missingIncludes } = selection;
  // An id with a lone surrogate cannot be percent-encoded into a URL: no call could ever reach it.
  const ids = selection.ids.filter((id) => {
    if (isWellFormed(id)) return true;
    diagnostics.push({
      severity: "warning",
      code: "bad-action-id",
      app: app.slug,
      action: id,
      message: "the action id has a lone UTF-16 surrogate and cannot appear in a URL; it is left out",
    });
    return false;
  });
  for (const id of missingIncludes) {
    diagnostics.push({
      severity: "error",
      code: "unknown-action",
      app: app.slug,
      action: id,
      message: "the config includes an action the app does not list",
      hint: `run \`refold-codegen list ${app.slug}\` to see its actions`,
    });
  }
  for (const id of Object.keys(app.config.kinds)) {
    if (!ids.includes(id))
      diagnostics.push({
        severity: "warning",
        code: "unknown-kind-override",
        app: app.slug,
        action: id,
        message: "kinds names an action that is not generated",
      });
  }
  const base = (id: string) => memberName(id, "action");
  const methods = assignNames(ids, base);
  reportCollisions(methods, base, "method", app.slug, diagnostics);
  const actions: ActionNames[] = [];
  for (const id of [...ids].sort(compareCodeUnits)) {
    const method = methods.get(id) ?? base(id);
    if (!Object.hasOwn(entry.parameters, id)) {
      actions.push({ id, method });
      continue;
    }
    const typeName = (suffix: "Params" | "Result") => {
      const name = actionTypeName(app.typePrefix, method, suffix, exported, `${app.slug}/${id}`);
      exported.add(name);
      return name;
    };
    actions.push({ id, method, paramsType: typeName("Params"), resultType: typeName("Result") });
  }
  return { actions, diagnostics };
}

function reportCollisions(
  names: Map<string, string>,
  base: (id: string) => string,
  what: string,
  app: string | undefined,
  diagnostics: Diagnostic[],
): void {
  for (const [id, name] of names) {
    if (name !== base(id)) {
      diagnostics.push({
        severity: "warning",
        code: "name-collision",
        ...(app !== undefined ? { app, action: id } : { app: id }),
        message: `${what} name "${base(id)}" is taken by another id; this one is "${name}"`,
      });
    }
  }
}

import type { AppConfig, EmitConfig } from "./config/types.js";
import type { Diagnostic } from "./diagnostics.js";
import { appCacheKey, isReusable, stampOutput } from "./emit/cache.js";
import { emitFiles, sealFiles, type AppModule, type OutputFiles } from "./emit/files.js";
import type { LockView } from "./lock/view.js";
import { ModelBuilder, nameDependencies, planModel, type AppPlan, type ModelPlan } from "./model/build.js";
import type { ModelApp } from "./model/types.js";
import { formatFiles } from "./write/format.js";

/**
 * What rendering needs, decided before any lock entry is parsed: the names of the apps, the cache key of
 * each app module, and which modules of the previous output can be kept as they are.
 */
export interface RenderPlan {
  view: LockView;
  plan: ModelPlan;
  /** What planning noticed (apps that cannot be generated are errors). */
  diagnostics: Diagnostic[];
  /** Each app module's cache key, by slug. */
  keys: ReadonlyMap<string, string>;
  /** App modules of the previous output whose inputs are unchanged, by slug. */
  kept: ReadonlyMap<string, Buffer>;
}

/** Plans a render from the lock and the output on disk (`previous`; none renders cold). */
export function planRender(
  view: LockView,
  apps: readonly AppConfig[],
  previous?: ReadonlyMap<string, Buffer>,
): RenderPlan {
  const { plan, diagnostics } = planModel(apps, (slug) => view.has(slug));
  const keys = new Map<string, string>();
  const kept = new Map<string, Buffer>();
  for (const app of plan.apps) {
    const key = appCacheKey(app, nameDependencies(plan, app), (slug) => view.digest(slug));
    keys.set(app.slug, key);
    const existing = previous?.get(`${app.file}.ts`);
    if (isReusable(existing, key)) kept.set(app.slug, existing);
  }
  return { view, plan, diagnostics, keys, kept };
}

/** What to render besides the TypeScript clients. */
export interface RenderOptions {
  /** The config's `emit`: tool schemas and the OpenAPI document (both off by default). */
  emit?: Partial<EmitConfig>;
  /** The run's inputs key (see emit/cache.ts): stamps index.ts so an unchanged later run can stop early. */
  runKey?: string;
}

/** The rendered output, with every diagnostic of building the models it needed. */
export interface Rendered {
  files: OutputFiles;
  /** An error-severity diagnostic means the output must not be written. */
  diagnostics: Diagnostic[];
  /** The apps whose models were built (every app, unless modules were kept). */
  models: ModelApp[];
}

/**
 * Plan in, final output files out: keep the modules the plan kept, build and emit the others one app at a
 * time, let prettier settle the files the writer was unsure of, then seal the fresh app modules. The optional
 * JSON files (`emit`) need every app's model; they are added last, final as emitted.
 */
export async function renderOutput(render: RenderPlan, options: RenderOptions = {}): Promise<Rendered> {
  const builder = new ModelBuilder(render.plan, (slug) => render.view.entry(slug));
  const diagnostics = [...render.diagnostics];
  const models = new Map<AppPlan, ModelApp>();
  const modelOf = (app: AppPlan) => {
    let model = models.get(app);
    if (model === undefined) {
      const built = builder.build(app);
      diagnostics.push(...built.diagnostics);
      model = built.app;
      models.set(app, model);
    }
    return model;
  };
  const moduleOf = (app: AppPlan): AppModule => {
    const kept = render.kept.get(app.slug);
    return kept !== undefined ? { kept } : { model: modelOf(app), key: render.keys.get(app.slug) ?? "" };
  };
  const emitted = await emitFiles(render.plan.apps, moduleOf);
  const files = sealFiles(await formatFiles(emitted), emitted.keys);
  if (options.emit?.schemas === true || options.emit?.openapi === true) {
    const model = { apps: render.plan.apps.map(modelOf) };
    // Loaded only by configs that ask for the JSON files.
    const { emitSchemaFiles } = await import("./schemas/index.js");
    for (const [path, content] of emitSchemaFiles(model, options.emit)) files.set(path, content);
  }
  if (options.runKey !== undefined) stampOutput(files, options.runKey);
  return { files, diagnostics, models: render.plan.apps.flatMap((app) => models.get(app) ?? []) };
}

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { codegenError, CodegenError, ExitCode, type Diagnostic } from "../util/diagnostics.js";
import { configSchemaPath, isWithin } from "../util/paths.js";
import { compareCodeUnits } from "../util/stable-json.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import type { AppConfig, ResolvedConfig } from "./types.js";
import { validateAgainstSchema, type SchemaNode } from "./validate.js";
import { paginationProblems, type RawPagination } from "./pagination.js";

/** The config file as written, after schema validation. */
interface RawConfig {
  baseUrl?: string;
  linkedAccountId?: string;
  apps: (string | { slug: string; include?: string[]; exclude?: string[]; kinds?: Record<string, "read" | "write"> })[];
  output?: string;
  lockfile?: string;
  results?: string;
  concurrency?: number;
  rateLimit?: false | { perSecond: number; burst: number };
  emit?: { schemas?: boolean; openapi?: boolean; mcp?: boolean };
  format?: "none" | "prettier";
  pagination?: RawPagination;
}

/** Environment variables that override config values (never the key: that lives only in the environment). */
export interface ConfigEnv {
  REFOLD_BASE_URL?: string | undefined;
  REFOLD_LINKED_ACCOUNT_ID?: string | undefined;
}

/** Reads, validates and resolves a config file; every problem becomes one CodegenError with exit code 2. */
export async function loadConfig(configPath: string, env: ConfigEnv = process.env): Promise<ResolvedConfig> {
  const absolute = resolve(configPath);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    throw usageError(
      `cannot read the config file ${absolute}`,
      "create one (see the README's config reference) or pass --config <path>",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(`${absolute} is not valid JSON: ${(error as Error).message}`, "fix the JSON syntax");
  }
  return resolveConfig(parsed, absolute, env);
}

/** Validates an already parsed config object; `configPath` anchors relative paths. */
export async function resolveConfig(parsed: unknown, configPath: string, env: ConfigEnv = {}): Promise<ResolvedConfig> {
  const schema = JSON.parse(await readFile(configSchemaPath(), "utf8")) as SchemaNode;
  const issues = validateAgainstSchema(parsed, schema);
  const diagnostics: Diagnostic[] = issues.map((issue) => ({
    severity: "error",
    code: "config",
    message: `${issue.path || "the config"} ${issue.message}`,
  }));
  if (diagnostics.length === 0) {
    const raw = parsed as RawConfig;
    diagnostics.push(...duplicateSlugs(raw.apps), ...pathProblems(raw, configPath));
    diagnostics.push(...paginationProblems(raw.pagination, raw.apps.map(slugOf)));
  }
  if (diagnostics.length > 0) {
    throw new CodegenError(
      `invalid config ${configPath}:\n${diagnostics.map((d) => `  - ${d.message}`).join("\n")}`,
      ExitCode.usage,
      diagnostics,
    );
  }
  const raw = parsed as RawConfig;
  const rootDir = dirname(configPath);
  const linkedAccountId = nonEmpty(env.REFOLD_LINKED_ACCOUNT_ID) ?? raw.linkedAccountId;
  return {
    configPath,
    rootDir,
    baseUrl: (nonEmpty(env.REFOLD_BASE_URL) ?? raw.baseUrl ?? CONFIG_DEFAULTS.baseUrl).replace(/\/+$/, ""),
    ...(linkedAccountId !== undefined ? { linkedAccountId } : {}),
    apps: raw.apps.map((entry) => toAppConfig(entry, raw.pagination)).sort((a, b) => compareCodeUnits(a.slug, b.slug)),
    outputDir: resolve(rootDir, raw.output ?? CONFIG_DEFAULTS.output),
    lockfilePath: resolve(rootDir, raw.lockfile ?? CONFIG_DEFAULTS.lockfile),
    resultsPath: resolve(rootDir, raw.results ?? CONFIG_DEFAULTS.results),
    concurrency: raw.concurrency ?? 8,
    rateLimit: raw.rateLimit ?? CONFIG_DEFAULTS.rateLimit,
    emit: { schemas: raw.emit?.schemas ?? false, openapi: raw.emit?.openapi ?? false, mcp: raw.emit?.mcp ?? false },
    format: raw.format ?? "none",
  };
}

/** refold-codegen owns the output folder (its files, its package.json), so it must not hold the config or the lock. */
function pathProblems(raw: RawConfig, configPath: string): Diagnostic[] {
  const rootDir = dirname(configPath);
  const output = resolve(rootDir, raw.output ?? CONFIG_DEFAULTS.output);
  const inside = (path: string) => isWithin(output, path);
  const problems: Diagnostic[] = [];
  if (inside(configPath))
    problems.push({
      severity: "error",
      code: "config",
      message: "output must not be the folder that holds the config file (refold-codegen owns the output folder)",
    });
  for (const [key, path] of [
    ["lockfile", raw.lockfile ?? CONFIG_DEFAULTS.lockfile],
    ["results", raw.results ?? CONFIG_DEFAULTS.results],
  ] as const) {
    if (inside(resolve(rootDir, path)))
      problems.push({
        severity: "error",
        code: "config",
        message: `${key} must not be inside the output folder (refold-codegen owns the output folder)`,
      });
  }
  return problems;
}

function toAppConfig(entry: RawConfig["apps"][number], pagination: RawPagination | undefined): AppConfig {
  const slug = slugOf(entry);
  const declared = pagination !== undefined && Object.hasOwn(pagination, slug) ? pagination[slug] : undefined;
  const paged = declared !== undefined ? { pagination: declared } : {};
  if (typeof entry === "string") return { slug: entry, kinds: {}, ...paged };
  return {
    slug: entry.slug,
    ...(entry.include ? { include: entry.include } : {}),
    ...(entry.exclude ? { exclude: entry.exclude } : {}),
    kinds: entry.kinds ?? {},
    ...paged,
  };
}

function slugOf(entry: RawConfig["apps"][number]): string {
  return typeof entry === "string" ? entry : entry.slug;
}

function duplicateSlugs(apps: RawConfig["apps"]): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  apps.forEach((entry, index) => {
    const slug = typeof entry === "string" ? entry : entry.slug;
    if (seen.has(slug)) {
      diagnostics.push({
        severity: "error",
        code: "config",
        app: slug,
        message: `apps[${index}] lists "${slug}" a second time`,
      });
    }
    seen.add(slug);
  });
  return diagnostics;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

function usageError(message: string, hint: string): CodegenError {
  return codegenError(message, "config", hint);
}

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { RefoldClient } from "../../templates/runtime/client.js";
import { RefoldConfigError, RefoldError } from "../../templates/runtime/errors.js";
import { credentialsFrom } from "../config/credentials.js";
import { loadProjectConfig, type CommonOptions } from "../config/options.js";
import { LINKED_ACCOUNT_PLACEHOLDER, type ResolvedConfig } from "../config/types.js";
import type { Change } from "../diff/types.js";
import { readLock } from "../lock/read.js";
import { inferKind } from "../model/kinds.js";
import { selectActions } from "../model/select.js";
import { compareResult } from "../results/compare.js";
import { shapeFromSchema } from "../results/declared.js";
import { entryOf, readResults, withEntry, writeResults, type ResultEntry } from "../results/file.js";
import { inferShapeNoted, mergeShapesNoted, ShapeNotes, type ShapeNote } from "../results/shape.js";
import { CodegenError, ExitCode } from "../util/diagnostics.js";
import type { LockFile } from "../lock/types.js";
import { withFileLock } from "../util/file-lock.js";
import { paginationAdvice, type PaginationAdvice } from "./pagination-advice.js";

/** Options of `record`: where the sample comes from (one of the three), and how to reach the API. */
export interface RecordOptions extends CommonOptions {
  /** Run the action once with these parameters (default `{}`). */
  params?: Record<string, unknown>;
  /** Saved answers to read instead (the `{ node_status, data }` envelope or just `data`), relative to `cwd`; no network. */
  from?: readonly string[];
  /** A declared JSON Schema of `data`, relative to `cwd`; no network. */
  schema?: string;
  /** Let a live recording run a write action. */
  allowWrite?: boolean;
}

/** What `record` learned. */
export interface RecordResult {
  resultsPath: string;
  app: string;
  action: string;
  source: "api" | "file" | "schema";
  /** Samples merged into the shape so far (0 for a declared schema). */
  samples: number;
  /** How the recorded shape changed, classified as `diff` does (fields added, now optional or nullable, ...). */
  changes: Change[];
  /** Where a limit changed what was recorded: cut below the depth limit, or a map for too many keys. */
  limits: ShapeNote[];
  /** A read action's pagination: declared in the config, or the entry to add that its params and shape suggest. */
  pagination?: PaginationAdvice;
}

/**
 * Learns the shape of an action's result and merges it into the results file: from one live run (reads
 * only, unless `allowWrite`), from saved answers, or from a declared JSON Schema. Writes only shapes.
 *
 * The samples are read (or the action run) and their shape learned first; then, under an exclusive lock on
 * the results file, the file is read again, the shape merged in and the file replaced atomically. Records
 * running at once (for any actions, the same one too) thus all land, and a failed one leaves the file as it was.
 */
export async function record(app: string, action: string, options: RecordOptions = {}): Promise<RecordResult> {
  const config = await loadProjectConfig(options);
  const lock = await checkAction(config, app, action);
  const cwd = options.cwd ?? process.cwd();
  const notes = new ShapeNotes();
  let learned: ResultEntry;
  let source: RecordResult["source"];
  if (options.schema !== undefined) {
    const schema = await readJson(resolve(cwd, options.schema), "--schema");
    learned = { samples: 0, declared: true, schema: shapeFromSchema(schema, options.schema, notes) };
    source = "schema";
  } else {
    // Refused before any network: a declared shape takes no samples (checked again under the lock).
    if (entryOf(await readResults(config.resultsPath), app, action)?.declared === true)
      throw declaredError(app, action, config.resultsPath);
    const fromFiles = options.from !== undefined && options.from.length > 0;
    const samples = fromFiles
      ? await Promise.all(
          (options.from ?? []).map(async (file) => dataOf(await readJson(resolve(cwd, file), file), file)),
        )
      : [await runOnce(config, app, action, options)];
    source = fromFiles ? "file" : "api";
    const shape = samples
      .map((sample) => inferShapeNoted(sample, notes))
      .reduce((a, b) => mergeShapesNoted(a, b, notes));
    learned = { samples: samples.length, schema: shape };
  }
  return withFileLock(config.resultsPath, async () => {
    const results = await readResults(config.resultsPath);
    const existing = entryOf(results, app, action);
    let entry = learned;
    if (learned.declared !== true) {
      if (existing?.declared === true) throw declaredError(app, action, config.resultsPath);
      entry = {
        samples: (existing?.samples ?? 0) + learned.samples,
        schema: existing === undefined ? learned.schema : mergeShapesNoted(existing.schema, learned.schema, notes),
      };
    }
    const merged = withEntry(results, app, action, entry);
    await writeResults(config.resultsPath, merged);
    const changes = compareResult(existing?.schema, entry.schema).map((change) => ({ app, action, ...change }));
    const pagination = paginationAdvice(config, lock, merged, app, action);
    const recorded = {
      resultsPath: config.resultsPath,
      app,
      action,
      source,
      samples: entry.samples,
      changes,
      limits: notes.list(),
    };
    return pagination === undefined ? recorded : { ...recorded, pagination };
  });
}

/** The app must be configured and the action one that `generate` emits, so the shape has a method to type. */
/** The lock, once the action is known to be among the generated ones. */
async function checkAction(config: ResolvedConfig, slug: string, action: string): Promise<LockFile> {
  const app = config.apps.find((candidate) => candidate.slug === slug);
  if (app === undefined) {
    const message = `app ${slug} is not in ${config.configPath}`;
    throw usage(message, "add it to apps and run `refold-codegen generate` first", slug);
  }
  const lock = await readLock(config.lockfilePath);
  const entry = lock !== undefined && Object.hasOwn(lock.apps, slug) ? lock.apps[slug] : undefined;
  if (lock === undefined || entry === undefined || !selectActions(entry.actions, app).ids.includes(action)) {
    const message = `action ${action} of app ${slug} is not among the generated actions`;
    throw usage(
      message,
      `run \`refold-codegen list ${slug}\` to see them (and \`generate\` after a config change)`,
      slug,
      action,
    );
  }
  return lock;
}

/** Runs the action once through the generated client's runtime; refuses a write unless allowed, sending nothing. */
async function runOnce(config: ResolvedConfig, app: string, action: string, options: RecordOptions): Promise<unknown> {
  const kind = inferKind(action, config.apps.find((candidate) => candidate.slug === app)?.kinds);
  if (kind === "write" && options.allowWrite !== true) {
    const message = `${app} ${action} is a write action: recording it would run it against the linked account`;
    throw usage(
      message,
      "pass --allow-write to run it anyway, or record a saved answer with --from <file>",
      app,
      action,
    );
  }
  const auth = credentialsFrom(options.env ?? process.env, "recording a live answer");
  if (
    "apiKey" in auth &&
    (config.linkedAccountId === undefined || config.linkedAccountId === LINKED_ACCOUNT_PLACEHOLDER)
  ) {
    const message = `recording a live answer needs a linked account, and ${config.configPath} has ${config.linkedAccountId === undefined ? "none" : "init's placeholder"}`;
    throw usage(
      message,
      "set linkedAccountId in the config (or REFOLD_LINKED_ACCOUNT_ID) to one of your org's linked accounts",
      app,
      action,
    );
  }
  const client = new RefoldClient({
    ...auth,
    baseUrl: config.baseUrl,
    ...(config.linkedAccountId !== undefined ? { linkedAccountId: config.linkedAccountId } : {}),
    ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
    // A write that may have run is never repeated.
    ...(kind === "write" ? { maxRetries: 0 } : {}),
    validate: false,
  });
  try {
    return await client.run({ app, action, kind, fields: [] }, options.params ?? {});
  } catch (error) {
    if (!(error instanceof RefoldError)) throw error;
    const message = `running ${app} ${action} failed: ${error.message}`;
    // A setting of ours (no linked account, a bad base URL) is the user's to fix, not the network's.
    const exitCode = error instanceof RefoldConfigError ? ExitCode.usage : ExitCode.network;
    throw new CodegenError(message, exitCode, [
      {
        severity: "error",
        code: "record-failed",
        app,
        action,
        message,
        ...(error.status !== undefined ? { status: error.status } : {}),
      },
    ]);
  } finally {
    await client.close();
  }
}

/** The `data` of a saved answer: the envelope's, or the whole document when it is not an envelope. */
function dataOf(saved: unknown, file: string): unknown {
  if (typeof saved !== "object" || saved === null || Array.isArray(saved) || !Object.hasOwn(saved, "data"))
    return saved;
  const envelope = saved as { node_status?: unknown; success?: unknown; data: unknown };
  if (envelope.node_status === undefined && envelope.success === undefined) return saved;
  if (envelope.node_status === "Success" || envelope.success === true) return envelope.data;
  const status = JSON.stringify(envelope.node_status ?? envelope.success);
  const message = `${file} holds a failed action (node_status ${status}): there is no result to learn from`;
  throw usage(message, "record an answer whose node_status is Success");
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw usage(`cannot read ${what} ${path}: ${(error as Error).message}`, "check the path");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usage(
      `${what} ${path} is not JSON (${(error as Error).message})`,
      "save the answer's JSON as it was received",
    );
  }
}

function declaredError(app: string, action: string, path: string): CodegenError {
  const message = `${app} ${action} has a declared result schema in ${path}; samples are not merged into it`;
  return usage(message, "record --schema again to change it, or delete its entry to learn from samples");
}

function usage(message: string, hint: string, app?: string, action?: string): CodegenError {
  return new CodegenError(message, ExitCode.usage, [
    {
      severity: "error",
      code: "record",
      message,
      hint,
      ...(app !== undefined ? { app } : {}),
      ...(action !== undefined ? { action } : {}),
    },
  ]);
}

// Shared by the CLI tests of `diff`: the built CLI (through cli-helpers' runCli), and the before/after catalogs
// of an update.
import { readFile } from "node:fs/promises";
import type { AppConfig } from "../../generator/config/types.js";
import type { PulledApp } from "../../generator/lock/types.js";
import { sampleCatalog, type Catalog } from "../helpers/project.js";
import { tableOf } from "../helpers/table.js";
import { runCli } from "../cli/cli-helpers.js";

export const KEY = "tk_diff_SECRET_0123456789";
export const SLUGS = ["hubspot", "jira"];
export const APPS: AppConfig[] = SLUGS.map((slug) => ({ slug, kinds: {} }));

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `refold-codegen ...args` in `cwd`: its exit code and output (and a failure if it printed a credential). */
export async function cli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const { code, stdout, stderr } = await runCli(args, { cwd, env });
  return { code: code ?? -1, stdout, stderr };
}

export type Param = Record<string, unknown>;

/** The sample's hubspot and jira, as served before the update. */
export async function catalogBefore(): Promise<Catalog> {
  const sample = await sampleCatalog();
  return { apps: Object.fromEntries(SLUGS.map((slug) => [slug, sample.apps[slug] as PulledApp])) };
}

/**
 * The same connectors after an update: actions removed, renamed and added (two of them colliding with
 * `get_contact`'s method name), fields added, removed, made required, narrowed and widened, options
 * added and removed, labels changed.
 */
export function update(before: Catalog): Catalog {
  const catalog = structuredClone(before);
  const hubspot = catalog.apps["hubspot"]!;
  const jira = catalog.apps["jira"]!;
  const params = (app: PulledApp, id: string) => app.parameters[id] as Param[];
  const drop = (app: PulledApp, id: string) => {
    app.actions = app.actions.filter((action) => action.action_id !== id);
    delete app.parameters[id];
  };
  const add = (app: PulledApp, id: string, parameters: Param[]) => {
    app.actions.push({ action_id: id, name: id, description: "new" });
    app.parameters[id] = parameters;
  };
  drop(hubspot, "delete_contact");
  const task = params(hubspot, "create_task");
  drop(hubspot, "create_task");
  add(hubspot, "create_task_v2", task);
  add(hubspot, "get-contact", [{ name: "id", type: "text", required: true }]);
  add(hubspot, "getContact", []);
  const contact = params(hubspot, "create_contact").filter((field) => field["name"] !== "website");
  contact.push({ name: "lifecycle_stage", type: "text", required: true, label: "Lifecycle" });
  hubspot.parameters["create_contact"] = contact;
  const issue = params(jira, "create_issue");
  for (const field of issue) {
    if (field["name"] === "issue_type")
      field["options"] = [
        ...(field["options"] as Param[]).filter((option) => option["value"] !== "Epic"),
        { name: "Spike", value: "Spike" },
      ];
    if (field["name"] === "story_points") field["type"] = "json";
    if (field["name"] === "description") field["required"] = "true";
    if (field["name"] === "summary") field["label"] = "Title";
  }
  add(jira, "archive_issue", [{ name: "issue_key", type: "text", required: true }]);
  return catalog;
}

/** Only additive changes: an action, an optional field and an option added. */
export function additive(before: Catalog): Catalog {
  const catalog = structuredClone(before);
  const jira = catalog.apps["jira"]!;
  jira.actions.push({ action_id: "archive_issue", name: "Archive" });
  jira.parameters["archive_issue"] = [];
  const issue = jira.parameters["create_issue"] as Param[];
  issue.push({ name: "team", type: "text" });
  const type = issue.find((field) => field["name"] === "issue_type")!;
  type["options"] = [...(type["options"] as Param[]), { name: "Spike", value: "Spike" }];
  return catalog;
}

/** `{ actionId: method }` from a generated module's action table (what its `<app>Actions` list is read from). */
export async function methods(file: string): Promise<Map<string, string>> {
  const { table } = tableOf(await readFile(file, "utf8"));
  const pairs = Object.entries(table).map(([method, row]) => [(JSON.parse(row) as string[])[0]!, method] as const);
  if (pairs.length === 0) throw new Error(`${file} binds no action`);
  return new Map(pairs);
}

/** Every exported type and value name of a generated module. */
export async function exportsOf(file: string): Promise<Set<string>> {
  const text = await readFile(file, "utf8");
  return new Set([...text.matchAll(/^export (?:interface|type|const|function) ([\w$]+)/gm)].map((m) => m[1]!));
}

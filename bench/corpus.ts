/*
 * A seeded synthetic corpus of Refold connectors, in the shape the emulator serves and a pull stores:
 * `{ apps: { "<slug>": { actions: [...], parameters: { "<action_id>": [...] } } } }`.
 *
 * Deterministic for a seed (no clock, no Math.random). Every parameter type appears: text, email, url,
 * textarea, password, date, number, boolean, json, select, select with `multiple`, nested object (given
 * as `fields` or as a `properties` map), array (of primitives, of objects) and types refold-codegen does
 * not know. Slugs are dashed; labels and descriptions read like real connector metadata, apostrophes,
 * quotes and the odd non-ASCII character included.
 *
 * Run `node dist/bench/corpus.js --seed 1 --out corpus.json` to write one to disk.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PulledApp } from "../generator/lock/types.js";
import { mulberry32 } from "../generator/mock/shuffle.js";

export interface CorpusOptions {
  /** Default 1. */
  seed?: number;
  /** Default 30. */
  apps?: number;
  /** Default 50 (the first is always `httprequest`, as on Refold). */
  actionsPerApp?: number;
  /** Top-level fields per action, inclusive bounds; default 3 and 40. */
  minFields?: number;
  maxFields?: number;
}

/** The emulator/lock shape. */
export interface Corpus {
  apps: Record<string, PulledApp>;
}

/** The parameter kinds the corpus draws from (the keys of `CorpusStats.kinds`). */
export const FIELD_KINDS = [
  "text",
  "email",
  "url",
  "textarea",
  "password",
  "date",
  "number",
  "boolean",
  "json",
  "select",
  "select-multiple",
  "object",
  "array",
  "unknown",
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** A raw parameter as the corpus writes it. */
export interface RawField {
  name: string;
  label?: string;
  /** A boolean, sometimes a string; with `properties`, the list of required member names. */
  required?: boolean | string | string[];
  type: string;
  description?: string;
  help_text?: string;
  placeholder?: string;
  default?: unknown;
  options?: unknown[];
  multiple?: boolean;
  fields?: RawField[];
  properties?: Record<string, Omit<RawField, "name">>;
  items?: string | Omit<RawField, "name"> | { type: string; fields?: RawField[] };
}

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

/** A small deterministic PRNG (mulberry32), identical on every platform. */
export const prng = mulberry32;

class Dice {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary

const BRANDS = [
  "acme", "blue", "north", "bright", "cloud", "pixel", "quick", "silver", "green", "iron", "open", "swift",
  "true", "red", "deep", "nova", "peak", "prime", "sky", "zen", "orbit", "harbor", "maple", "cobalt",
]; // prettier-ignore
const PRODUCTS = [
  "crm", "desk", "books", "sheets", "mail", "chat", "pay", "forms", "drive", "calendar", "tickets", "hr",
  "analytics", "ship", "sign", "notes", "tasks", "invoice", "wiki", "meet", "cms", "erp", "ads", "survey",
]; // prettier-ignore
const SUFFIXES = ["cloud", "pro", "one", "hub", "io", "suite"];

const VERBS = [
  "create", "get", "list", "update", "delete", "search", "find", "fetch", "archive", "send", "add", "remove",
  "upload", "export", "import", "sync", "assign", "close", "merge", "restore", "upsert", "clone",
]; // prettier-ignore
const OBJECTS = [
  "contact", "company", "deal", "ticket", "invoice", "order", "product", "task", "note", "user", "team",
  "project", "comment", "file", "event", "campaign", "lead", "account", "subscription", "payment", "message",
  "channel", "folder", "report", "webhook", "tag", "pipeline", "quote", "contract", "shipment", "workspace",
  "form_response", "line_item", "price_book", "time_entry", "expense", "employee", "candidate", "survey",
]; // prettier-ignore
const QUALIFIERS = ["by_id", "by_email", "by_external_id", "in_bulk", "batch", "v2", "details", "history"];

const NAMES: Readonly<Record<FieldKind, readonly string[]>> = {
  text: [
    "first_name", "last_name", "title", "subject", "name", "company_name", "job_title", "city", "country",
    "postal_code", "external_id", "owner_id", "reference", "sku", "slug", "timezone", "locale", "source",
    "industry", "department", "record_id", "parent_id", "query", "cursor", "sort_by", "phone", "street",
    "state", "region", "display_name", "username", "vat_number", "folder_id", "channel_id", "thread_ts",
    "fullName", "externalRef", "X-Request-Source", "custom:field", "2fa_code", "Account Name",
  ], // prettier-ignore
  email: ["email", "work_email", "billing_email", "cc_email", "reply_to", "notify_email", "from_address"],
  url: ["website", "callback_url", "avatar_url", "linkedin_url", "redirect_url", "image_url", "webhook_url"],
  textarea: ["description", "notes", "body", "message", "comment", "summary", "bio", "instructions", "html_body"],
  password: ["password", "api_secret", "client_secret", "passphrase", "pin"],
  date: [
    "due_date", "start_date", "end_date", "close_date", "birth_date", "created_after", "updated_before",
    "scheduled_at", "expires_at", "since",
  ], // prettier-ignore
  number: [
    "amount", "quantity", "limit", "page", "page_size", "priority_score", "discount_percent", "unit_price",
    "tax_rate", "employee_count", "annual_revenue", "offset", "probability", "duration_minutes", "max_results",
  ], // prettier-ignore
  boolean: [
    "is_active", "archived", "send_notification", "include_deleted", "is_private", "notify_owner", "dry_run",
    "overwrite", "is_primary", "include_archived", "async", "pinned",
  ], // prettier-ignore
  json: ["custom_fields", "metadata", "properties", "extra", "raw_payload", "filters", "headers", "settings"],
  select: ["status", "priority", "stage", "type", "visibility", "role", "lifecycle_stage", "lead_source", "sort_order", "currency"], // prettier-ignore
  "select-multiple": ["tags", "labels", "categories", "channels", "permissions", "fields_to_return", "event_types", "include"], // prettier-ignore
  object: ["address", "billing_address", "shipping_address", "owner", "primary_contact", "dimensions", "schedule", "retry_policy"], // prettier-ignore
  array: ["line_items", "attachments", "recipients", "ids", "phone_numbers", "scores", "participants", "rows"],
  unknown: ["signature", "logo", "brand_color", "location", "content_blocks", "document"],
};

const UNKNOWN_TYPES = ["file", "signature", "color", "rich_text_editor", "location", "code_editor"];

const OPTION_SETS: Readonly<Record<string, readonly (string | number | boolean)[]>> = {
  status: ["open", "in_progress", "pending", "resolved", "closed", "won't fix"],
  priority: [1, 2, 3, 4, 5],
  stage: ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "closedwon", "closedlost"], // prettier-ignore
  type: ["person", "organization", "bot", "guest"],
  visibility: ["public", "private", "internal", "shared"],
  role: ["admin", "member", "viewer", "billing", "owner"],
  lifecycle_stage: ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist"], // prettier-ignore
  lead_source: ["web", "referral", "partner", "event", "cold_call", "advertisement"],
  sort_order: ["asc", "desc"],
  currency: ["USD", "EUR", "GBP", "JPY", "INR", "BRL", "AUD", "CAD"],
  tags: ["vip", "churn-risk", "enterprise", "smb", "trial", "partner"],
  labels: ["bug", "feature", "question", "urgent", 'needs "triage"'],
  categories: ["sales", "support", "billing", "product", "legal"],
  channels: ["email", "sms", "push", "in_app", "slack"],
  permissions: ["read", "write", "admin", "delete", "share"],
  fields_to_return: ["id", "name", "email", "created_at", "updated_at", "owner", "status"],
  event_types: ["created", "updated", "deleted", "restored", "merged"],
  include: ["notes", "tasks", "attachments", "history"],
};

const ACTION_TEMPLATES: readonly ((verb: string, object: string, app: string) => string)[] = [
  (v, o, a) => `${sentence(v)}s a ${o} in ${a}.`,
  (v, o, a) => `${sentence(v)}s a ${o} in ${a}. Returns the ${o} as ${a} represents it, including custom properties.`,
  (v, o, a) => `Use this action to ${v} a ${o}. The connected ${a} account must have permission to ${v} ${plural(o)}.`,
  (v, o, a) => `${sentence(v)} ${plural(o)} in the user's ${a} workspace — results are paginated (see "limit" and "cursor").`, // prettier-ignore
  (v, o, a) => `${sentence(v)}s a ${o}. Fields left empty keep their current value in ${a}; "null" clears them.`,
  (v, o) => `${sentence(v)} ${o}`,
];

const FIELD_DESCRIPTIONS: readonly ((label: string, app: string) => string)[] = [
  (l, a) => `The ${l.toLowerCase()} as shown in ${a}.`,
  (l) => `${l}. Leave empty to use the account's default.`,
  (l, a) => `${a}'s internal ${l.toLowerCase()}; see the "${l}" column in the ${a} UI.`,
  (l) => `Optional ${l.toLowerCase()} — max 255 characters.`,
  (l) => `${l} (ISO 8601 for dates, e.g. 2024-05-01T12:00:00Z).`,
  (l, a) => `Maps to ${a}'s \`${l.replace(/\s+/g, "_").toLowerCase()}\` property. Accents such as "é" are kept.`,
];

// ---------------------------------------------------------------------------------------------------
// Generation

/** Generates a corpus; the same options always give the same value (and the same JSON bytes). */
export function generateCorpus(options: CorpusOptions = {}): Corpus {
  const seed = options.seed ?? 1;
  const appCount = options.apps ?? 30;
  const actionsPerApp = options.actionsPerApp ?? 50;
  const minFields = options.minFields ?? 3;
  const maxFields = options.maxFields ?? 40;
  const dice = new Dice(prng(seed));
  const apps: Record<string, PulledApp> = {};
  for (const slug of appSlugs(dice, appCount)) {
    apps[slug] = generateApp(dice, slug, actionsPerApp, minFields, maxFields);
  }
  return { apps };
}

function appSlugs(dice: Dice, count: number): string[] {
  const slugs = new Set<string>();
  const brands = dice.shuffle(BRANDS);
  const products = dice.shuffle(PRODUCTS);
  let i = 0;
  while (slugs.size < count) {
    const brand = brands[i % brands.length]!;
    const product = products[(i * 7 + Math.floor(i / products.length)) % products.length]!;
    const slug = dice.chance(0.2) ? `${brand}-${product}-${dice.pick(SUFFIXES)}` : `${brand}-${product}`;
    slugs.add(slug);
    i++;
  }
  return [...slugs];
}

function generateApp(dice: Dice, slug: string, actionCount: number, minFields: number, maxFields: number): PulledApp {
  const appName = slug
    .split("-")
    .map((word) => (word.length <= 3 && word !== "one" && word !== "pro" ? word.toUpperCase() : sentence(word)))
    .join(" ");
  const ids = actionIds(dice, actionCount);
  const actions = [];
  const parameters: Record<string, unknown> = {};
  for (const id of ids) {
    if (id === "httprequest") {
      actions.push({
        name: "HTTP Request",
        action_id: id,
        description: `Send an HTTP request to ${appName}'s API. Authentication is handled for you; url_path is relative, e.g. /v1/some_endpoint`,
        tag: "v2",
      });
      parameters[id] = httpRequestFields();
      continue;
    }
    const [verb = "get", ...rest] = id.split("_");
    const object = objectOf(rest.join("_"));
    const name = id
      .split("_")
      .map((word) => sentence(word))
      .join(" ");
    actions.push({
      name,
      action_id: id,
      description: dice.pick(ACTION_TEMPLATES)(verb, object.replace(/_/g, " "), appName),
      tag: dice.chance(0.9) ? "v2" : "v1",
    });
    const count = dice.int(minFields, maxFields);
    const fields = generateFields(dice, count, appName, 0);
    // Refold answers either a bare array or `{ parameters: [...] }`; both appear.
    parameters[id] = dice.chance(0.1) ? { parameters: fields } : fields;
  }
  // The API lists actions in its own order, not sorted.
  return { actions: dice.shuffle(actions), parameters };
}

function actionIds(dice: Dice, count: number): string[] {
  const ids = new Set<string>(["httprequest"]);
  let guard = 0;
  while (ids.size < count) {
    const verb = dice.pick(VERBS);
    const object = dice.pick(OBJECTS);
    const base =
      verb === "list" || verb === "search" || verb === "export" ? `${verb}_${plural(object)}` : `${verb}_${object}`;
    const id = ids.has(base) || dice.chance(0.15) ? `${base}_${dice.pick(QUALIFIERS)}` : base;
    ids.add(id);
    if (++guard > count * 100) throw new Error("corpus: cannot find enough distinct action ids");
  }
  return [...ids];
}

function objectOf(rest: string): string {
  for (const qualifier of QUALIFIERS) if (rest.endsWith(`_${qualifier}`)) return rest.slice(0, -qualifier.length - 1);
  return rest;
}

const KIND_WEIGHTS: Readonly<Record<FieldKind, number>> = {
  text: 20,
  email: 5,
  url: 4,
  textarea: 6,
  password: 2,
  date: 6,
  number: 10,
  boolean: 8,
  json: 5,
  select: 10,
  "select-multiple": 5,
  object: 6,
  array: 6,
  unknown: 2,
};

/** Nested levels get simpler: objects and arrays only down to this depth. */
const MAX_NESTING = 1;

function generateFields(dice: Dice, count: number, appName: string, depth: number): RawField[] {
  const fields: RawField[] = [];
  const used = new Set<string>();
  // Make every kind appear early in long lists so that small corpora (--quick) still cover them all.
  const kinds: FieldKind[] = [];
  for (let i = 0; i < count; i++) {
    let kind =
      i < FIELD_KINDS.length && count >= FIELD_KINDS.length && depth === 0 && dice.chance(0.5)
        ? FIELD_KINDS[(i + dice.int(0, FIELD_KINDS.length - 1)) % FIELD_KINDS.length]!
        : dice.weighted(KIND_WEIGHTS);
    if (depth >= MAX_NESTING && (kind === "object" || kind === "array")) kind = "text";
    kinds.push(kind);
  }
  for (const kind of kinds) {
    const name = uniqueName(dice, NAMES[kind], used);
    fields.push(generateField(dice, kind, name, appName, depth));
  }
  return fields;
}

function uniqueName(dice: Dice, names: readonly string[], used: Set<string>): string {
  let name = dice.pick(names);
  for (let n = 2; used.has(name); n++) name = `${dice.pick(names)}_${n}`;
  used.add(name);
  return name;
}

function generateField(dice: Dice, kind: FieldKind, name: string, appName: string, depth: number): RawField {
  const label = labelOf(dice, name);
  const field: RawField = { name, label, required: requiredValue(dice), type: kind };
  if (dice.chance(0.5)) {
    const description = dice.pick(FIELD_DESCRIPTIONS)(label, appName);
    if (dice.chance(0.1)) field.help_text = description;
    else field.description = description;
  }
  switch (kind) {
    case "text":
      field.type = dice.chance(0.05) ? "string" : "text";
      if (dice.chance(0.3)) field.placeholder = placeholderOf(name);
      if (dice.chance(0.05)) field.default = "";
      break;
    case "email":
      if (dice.chance(0.4)) field.placeholder = "jane@example.com";
      break;
    case "url":
      if (dice.chance(0.4)) field.placeholder = "https://example.com/path";
      break;
    case "date":
      if (dice.chance(0.4)) field.placeholder = "2024-05-01";
      break;
    case "number":
      if (dice.chance(0.2)) field.default = dice.int(0, 100);
      if (dice.chance(0.2)) field.placeholder = String(dice.int(1, 500));
      break;
    case "boolean":
      if (dice.chance(0.4)) field.default = dice.chance(0.5);
      break;
    case "json":
      if (dice.chance(0.3)) field.placeholder = '{"key": "value"}';
      break;
    case "select":
    case "select-multiple": {
      field.type = "select";
      const values = OPTION_SETS[name.replace(/_\d+$/, "")] ?? ["option_a", "option_b", "option_c"];
      const count = dice.int(Math.min(2, values.length), values.length);
      const chosen = values.slice(0, count);
      field.options = dice.chance(0.15)
        ? chosen
        : chosen.map((value) => ({ name: typeof value === "string" ? titleOf(value) : `Level ${value}`, value }));
      if (kind === "select-multiple") field.multiple = true;
      if (dice.chance(0.15)) field.default = kind === "select-multiple" ? [chosen[0]] : chosen[0];
      break;
    }
    case "object": {
      const children = generateFields(dice, dice.int(2, 4), appName, depth + 1);
      if (dice.chance(0.3)) {
        // The `properties` map form, with a JSON-Schema-like `required` list.
        const properties: Record<string, Omit<RawField, "name">> = {};
        const required: string[] = [];
        for (const child of children) {
          const { name: childName, required: isRequired, ...rest } = child;
          properties[childName] = rest;
          if (isRequired === true) required.push(childName);
        }
        field.properties = properties;
        // In this form `required` is JSON Schema's list of required member names (the object itself is optional).
        field.required = required;
      } else {
        field.fields = children;
      }
      break;
    }
    case "array": {
      const roll = dice.float();
      if (roll < 0.35) field.items = { type: "text" };
      else if (roll < 0.5) field.items = dice.pick(["number", "email", "text"]);
      else if (roll < 0.6) field.items = { type: "select", options: ["a", "b", "c"] };
      else field.items = { type: "object", fields: generateFields(dice, dice.int(2, 4), appName, depth + 1) };
      break;
    }
    case "unknown":
      field.type = dice.pick(UNKNOWN_TYPES);
      break;
    default:
      break;
  }
  return field;
}

function requiredValue(dice: Dice): boolean | string {
  const required = dice.chance(0.3);
  // A few APIs send booleans as strings.
  return dice.chance(0.03) ? String(required) : required;
}

function labelOf(dice: Dice, name: string): string {
  const label = titleOf(name);
  return dice.chance(0.2) ? `Enter ${label}` : label;
}

function titleOf(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => (word === "id" ? "ID" : word === "url" ? "URL" : sentence(word)))
    .join(" ");
}

function placeholderOf(name: string): string {
  if (name.includes("name")) return "Jane Doe";
  if (name.includes("id")) return "0012a000004Xyz";
  if (name.includes("phone")) return "+1 415 555 0100";
  return `e.g. ${name.replace(/_/g, " ")}`;
}

function httpRequestFields(): RawField[] {
  return [
    {
      name: "method",
      label: "Select Method",
      required: true,
      type: "select",
      options: ["GET", "POST", "PUT", "PATCH", "DELETE"].map((value) => ({ name: value, value })),
    },
    { name: "url_path", label: "Enter URL Path", required: true, type: "text", placeholder: "/v1/some_endpoint" },
    { name: "body", label: "Request Body", required: false, type: "json" },
    { name: "headers", label: "Headers", required: false, type: "json" },
    { name: "params", label: "Query Params", required: false, type: "json" },
  ];
}

function sentence(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function plural(word: string): string {
  if (word.endsWith("y") && !/[aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

// ---------------------------------------------------------------------------------------------------
// Statistics

export interface CorpusStats {
  apps: number;
  actions: number;
  /** Top-level fields. */
  fields: number;
  minFields: number;
  maxFields: number;
  /** Fields inside objects and arrays of objects. */
  nestedFields: number;
  /** Top-level and nested fields per kind; every kind must be present. */
  kinds: Record<FieldKind, number>;
}

/** Counts what a corpus contains; throws when a parameter kind is missing. */
export function corpusStats(corpus: Corpus): CorpusStats {
  const kinds = Object.fromEntries(FIELD_KINDS.map((kind) => [kind, 0])) as Record<FieldKind, number>;
  let actions = 0;
  let fields = 0;
  let nestedFields = 0;
  let minFields = Infinity;
  let maxFields = 0;
  const countField = (field: RawField, nested: boolean): void => {
    if (nested) nestedFields++;
    kinds[kindOf(field)]++;
    for (const child of field.fields ?? []) countField(child, true);
    for (const [name, child] of Object.entries(field.properties ?? {})) countField({ ...child, name }, true);
    if (typeof field.items === "object" && "fields" in field.items)
      for (const child of field.items.fields ?? []) countField(child, true);
  };
  for (const app of Object.values(corpus.apps)) {
    for (const entry of app.actions) {
      actions++;
      const list = fieldList(app.parameters[entry.action_id]);
      fields += list.length;
      minFields = Math.min(minFields, list.length);
      maxFields = Math.max(maxFields, list.length);
      for (const field of list) countField(field, false);
    }
  }
  const missing = FIELD_KINDS.filter((kind) => kinds[kind] === 0);
  if (missing.length > 0) throw new Error(`corpus: no field of kind ${missing.join(", ")}; use a larger corpus`);
  return { apps: Object.keys(corpus.apps).length, actions, fields, minFields, maxFields, nestedFields, kinds };
}

/** The field list of a raw parameter payload (a bare array or `{ parameters: [...] }`). */
export function fieldList(payload: unknown): RawField[] {
  if (Array.isArray(payload)) return payload as RawField[];
  if (
    typeof payload === "object" &&
    payload !== null &&
    Array.isArray((payload as { parameters?: unknown }).parameters)
  )
    return (payload as { parameters: RawField[] }).parameters;
  return [];
}

/** The corpus kind of a raw field (inverse of generation). */
export function kindOf(field: RawField): FieldKind {
  switch (field.type) {
    case "text":
    case "string":
      return "text";
    case "select":
      return field.multiple === true ? "select-multiple" : "select";
    case "email":
    case "url":
    case "textarea":
    case "password":
    case "date":
    case "number":
    case "boolean":
    case "json":
    case "object":
    case "array":
      return field.type;
    default:
      return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------------
// CLI: node dist/bench/corpus.js [--seed N] [--apps N] [--actions N] [--out file]

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
  };
  const num = (name: string): number | undefined => (arg(name) === undefined ? undefined : Number(arg(name)));
  const corpus = generateCorpus({
    ...(num("seed") !== undefined ? { seed: num("seed")! } : {}),
    ...(num("apps") !== undefined ? { apps: num("apps")! } : {}),
    ...(num("actions") !== undefined ? { actionsPerApp: num("actions")! } : {}),
  });
  const text = `${JSON.stringify(corpus, null, 2)}\n`;
  const out = arg("out");
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
  process.stderr.write(`${JSON.stringify(corpusStats(corpus))}\n`);
}

// Injected faults for the emulator.
//
// A faults file (`refold-codegen mock --faults faults.json`) is a JSON array of rules, or an object
// `{ "faults": [ ...rules ] }`. Each request uses the first rule that matches it and still has uses left;
// requests no rule matches are answered normally. CORS preflights never reach the rules (see cors.ts), so
// they neither use a rule's `times` nor get its effect. A rule has:
//
// Matching (all optional; every one given must match; a rule with none matches every request):
// - `method`: HTTP method, case-insensitive; `"*"` for any.
// - `path`: the request path without query, compared per decoded segment; `*` matches one segment and
//   `**` any number, e.g. `"/api/v2/integration-schema/*/actions/*/execute"`.
// - `route`: `"list"` (action list), `"schema"` (action parameters), `"execute"`, `"applications"`, `"linkedAccounts"` or `"sessionToken"`.
// - `app`, `action`: an app slug and an action id, exactly as in the lock (no decoding or globs needed).
// - `times`: how many matching requests the rule answers (a positive integer); omitted means every one.
//
// Effect (`delayMs` may be combined with any; at most one of the rest):
// - `delayMs`: wait before answering. Alone, the request is then answered normally (a slow server).
// - `status` (+ optional `body`, any JSON, default Refold's error envelope with `error_code`
//   `"INJECTED_FAULT"`): answer that status, e.g. `{ "status": 503 }`.
// - `headers`: extra response headers, e.g. `{ "retry-after": "2" }`; `retryAfter: 2` is a shorthand.
// - `stallBodyMs`: send the headers and the first half of the normal answer, then the rest after that
//   many milliseconds (for deadlines that must cover reading the body).
// - `malformed: true`: the normal answer cut in half, so its JSON does not parse.
// - `html: true`: an HTML error page with `content-type: text/html`.
// - `raw`: this exact text as the body (`""` for an empty body), `content-type` from `headers` or JSON.
// - `destroy: true`: drop the connection without answering.
// - `nodeStatus`: HTTP 200 with `{ "node_status": <it>, "data": <body or an error object>,
//   "http_status": 500 }`, e.g. `"Errored"`: the action failed at the provider.
// `status` also sets the HTTP status of `stallBodyMs`, `malformed`, `html` and `raw` answers (default
// 200, or the normal answer's status for `stallBodyMs` and `malformed`).
//
// Example:
// ```json
// [
//   { "route": "list", "app": "hubspot", "status": 429, "retryAfter": 1, "times": 2 },
//   { "method": "POST", "path": "/api/v2/integration-schema/*/actions/create_contact/execute", "status": 503, "times": 1 },
//   { "route": "schema", "action": "get_lead", "malformed": true },
//   { "route": "execute", "app": "salesforce", "delayMs": 1500 }
// ]
// ```
import { readFileSync } from "node:fs";
import { CodegenError, ExitCode } from "../util/diagnostics.js";
import { isRecord } from "../util/records.js";

/** The endpoints a rule can select by name. */
export type RouteKind = "list" | "schema" | "execute" | "applications" | "linkedAccounts" | "sessionToken";

/** One injected fault; see the format at the top of this file. */
export interface FaultRule {
  method?: string;
  path?: string;
  route?: RouteKind;
  app?: string;
  action?: string;
  times?: number;
  delayMs?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  retryAfter?: number | string;
  stallBodyMs?: number;
  malformed?: boolean;
  html?: boolean;
  raw?: string;
  destroy?: boolean;
  nodeStatus?: string;
}

/** What a rule is matched against. */
export interface FaultTarget {
  method: string;
  /** Decoded path segments, without the leading empty one. */
  segments: readonly string[];
  route?: { kind: RouteKind; app?: string; action?: string } | undefined;
}

const ROUTES: readonly RouteKind[] = ["list", "schema", "execute", "applications", "linkedAccounts", "sessionToken"];
const EFFECTS = ["stallBodyMs", "malformed", "html", "raw", "destroy", "nodeStatus"] as const;
const MATCH_KEYS = ["method", "path", "route", "app", "action", "times"] as const;
const KEYS: readonly (keyof FaultRule)[] = [
  ...MATCH_KEYS,
  "delayMs",
  "status",
  "body",
  "headers",
  "retryAfter",
  ...EFFECTS,
];

/** The rules in force, each with its remaining uses; replaced as a whole by `setFaults`. */
export class FaultSet {
  private entries: { rule: FaultRule; left: number }[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    this.replace(rules);
  }

  /** Validates and installs new rules, resetting every count. */
  replace(rules: readonly FaultRule[]): void {
    this.entries = parseFaults(rules, "faults").map((rule) => ({ rule, left: rule.times ?? Infinity }));
  }

  /** The first matching rule with uses left, counting this use; undefined when none applies. */
  take(target: FaultTarget): FaultRule | undefined {
    const entry = this.entries.find((candidate) => candidate.left > 0 && matches(candidate.rule, target));
    if (entry === undefined) return undefined;
    entry.left -= 1;
    return entry.rule;
  }
}

/** Reads and validates a faults file, throwing a usage error (exit 2) that names the file and every bad rule. */
export function loadMockFaults(path: string): FaultRule[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CodegenError(`cannot read faults file ${path}: ${(error as Error).message}`, ExitCode.usage);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CodegenError(`faults file ${path} is not valid JSON: ${(error as Error).message}`, ExitCode.usage);
  }
  return parseFaults(value, `faults file ${path}`);
}

/** Validates rules from any source (a file, or `setFaults` from untyped JS), returning copies. */
export function parseFaults(value: unknown, source: string): FaultRule[] {
  const list = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value["faults"])
      ? value["faults"]
      : null;
  if (list === null) {
    throw new CodegenError(`${source}: expected an array of fault rules or { "faults": [...] }`, ExitCode.usage);
  }
  const problems: string[] = [];
  const rules = list.map((item, index) => {
    const rule = isRecord(item) ? { ...item } : {};
    const errors = isRecord(item) ? ruleProblems(rule) : ["is not an object"];
    problems.push(...errors.map((error) => `rule #${index + 1} ${error}`));
    if (rule.headers !== undefined) rule.headers = { ...(rule.headers as Record<string, string>) };
    return rule;
  });
  if (problems.length > 0) throw new CodegenError(`${source}:\n  ${problems.join("\n  ")}`, ExitCode.usage);
  return rules;
}

function ruleProblems(rule: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(rule)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const near = closest(key, KEYS);
      problems.push(`has unknown key "${key}"${near === undefined ? "" : ` (did you mean "${near}"?)`}`);
    }
  }
  const check = (key: string, ok: (value: unknown) => boolean, want: string): void => {
    if (Object.hasOwn(rule, key) && !ok(rule[key])) problems.push(`"${key}" must be ${want}`);
  };
  const isString = (v: unknown): boolean => typeof v === "string";
  const isMs = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0;
  check("method", (v) => isString(v) && v !== "", "a non-empty string");
  check("path", (v) => isString(v) && (v as string).startsWith("/"), 'a string starting with "/"');
  check("route", (v) => ROUTES.includes(v as RouteKind), ROUTES.map((r) => `"${r}"`).join(", "));
  check("app", isString, "a string");
  check("action", isString, "a string");
  check("times", (v) => Number.isInteger(v) && (v as number) > 0, "a positive integer");
  check("delayMs", isMs, "a number of milliseconds");
  check("stallBodyMs", isMs, "a number of milliseconds");
  check("status", (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599, "an HTTP status");
  check("headers", (v) => isRecord(v) && Object.values(v).every(isString), "an object of string values");
  check("retryAfter", (v) => isString(v) || isMs(v), "seconds or an HTTP date");
  check("raw", isString, "a string");
  check("nodeStatus", (v) => isString(v) && v !== "", "a non-empty string");
  for (const flag of ["malformed", "html", "destroy"]) check(flag, (v) => v === true, "true (or be omitted)");
  problems.push(...combinationProblems(rule));
  return problems;
}

function combinationProblems(rule: Record<string, unknown>): string[] {
  const effects = EFFECTS.filter((key) => Object.hasOwn(rule, key));
  const has = (key: string): boolean => Object.hasOwn(rule, key);
  const problems: string[] = [];
  if (effects.length > 1) problems.push(`combines ${effects.join(" and ")}; use one rule per effect`);
  if (has("destroy") && (has("status") || has("headers") || has("retryAfter") || has("body"))) {
    problems.push("drops the connection, so it cannot also set a status, headers or body");
  }
  if (has("nodeStatus") && has("status")) problems.push('answers HTTP 200 with "nodeStatus"; drop "status"');
  if (has("body") && !has("nodeStatus") && (effects.length > 0 || !has("status"))) {
    problems.push('"body" goes with "status" (or "nodeStatus") alone');
  }
  if (effects.length === 0 && !has("status") && !has("delayMs")) {
    problems.push('has no effect: give "status", "delayMs" or one of ' + EFFECTS.join(", "));
  }
  return problems;
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.method !== undefined && rule.method !== "*" && rule.method.toUpperCase() !== target.method.toUpperCase()) {
    return false;
  }
  if (rule.path !== undefined && !globMatch(rule.path.split("/").slice(1), target.segments)) return false;
  if (rule.route !== undefined && rule.route !== target.route?.kind) return false;
  if (rule.app !== undefined && rule.app !== target.route?.app) return false;
  if (rule.action !== undefined && rule.action !== target.route?.action) return false;
  return true;
}

/** Segment-wise glob: `*` is one segment, `**` zero or more; anything else compares exactly. */
function globMatch(pattern: readonly string[], segments: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return segments.length === 0;
  if (head === "**") return segments.some((_, i) => globMatch(rest, segments.slice(i))) || globMatch(rest, []);
  const [first, ...others] = segments;
  if (first === undefined) return false;
  return (head === "*" || head === first) && globMatch(rest, others);
}

/** The closest known key within an edit distance of 3, for "did you mean". */
function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

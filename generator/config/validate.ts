import { isRecord } from "../util/records.js";
/** The subset of JSON Schema that config.schema.json uses; the schema file stays the one source of truth. */
export interface SchemaNode {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

/** One validation failure, with the JSON path of the offending value (`apps[1].incude`). */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** Validates a parsed JSON value against a schema node and returns every issue found. */
export function validateAgainstSchema(value: unknown, schema: SchemaNode, path = ""): SchemaIssue[] {
  if (schema.anyOf) return validateAnyOf(value, schema.anyOf, path);
  if (schema.const !== undefined && value !== schema.const)
    return [{ path, message: `must be ${JSON.stringify(schema.const)}` }];
  if (schema.enum && !schema.enum.includes(value)) {
    return [{ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}` }];
  }
  if (schema.type && !hasType(value, schema.type)) {
    return [{ path, message: `must be ${article(schema.type)}, got ${jsonType(value)}` }];
  }
  if (typeof value === "string" && schema.minLength !== undefined && value.length < schema.minLength) {
    return [{ path, message: "must not be empty" }];
  }
  if (typeof value === "number") return numberIssues(value, schema, path);
  if (Array.isArray(value))
    return value.flatMap((item, i) => (schema.items ? validateAgainstSchema(item, schema.items, `${path}[${i}]`) : []));
  if (isRecord(value)) return objectIssues(value, schema, path);
  return [];
}

function validateAnyOf(value: unknown, branches: SchemaNode[], path: string): SchemaIssue[] {
  const results = branches.map((branch) => validateAgainstSchema(value, branch, path));
  if (results.some((issues) => issues.length === 0)) return [];
  // Report the branch whose type matches the value: its issues are the precise ones.
  const matching = branches.findIndex((branch) => branch.type !== undefined && hasType(value, branch.type));
  if (matching >= 0) return results[matching] ?? [];
  const allowed = branches.map((b) => (b.const !== undefined ? JSON.stringify(b.const) : article(b.type ?? "value")));
  return [{ path, message: `must be ${allowed.join(" or ")}, got ${jsonType(value)}` }];
}

function numberIssues(value: number, schema: SchemaNode, path: string): SchemaIssue[] {
  if (schema.minimum !== undefined && value < schema.minimum)
    return [{ path, message: `must be at least ${schema.minimum}` }];
  if (schema.maximum !== undefined && value > schema.maximum)
    return [{ path, message: `must be at most ${schema.maximum}` }];
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    return [{ path, message: `must be greater than ${schema.exclusiveMinimum}` }];
  }
  return [];
}

function objectIssues(value: Record<string, unknown>, schema: SchemaNode, path: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) issues.push({ path: joinPath(path, key), message: "is required" });
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinPath(path, key);
    const known = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (known) {
      issues.push(...validateAgainstSchema(child, known, childPath));
    } else if (schema.additionalProperties === false) {
      const suggestion = closest(key, Object.keys(properties));
      issues.push({
        path: childPath,
        message: `is not a known key${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      });
    } else if (typeof schema.additionalProperties === "object") {
      issues.push(...validateAgainstSchema(child, schema.additionalProperties, childPath));
    }
  }
  return issues;
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function hasType(value: unknown, type: NonNullable<SchemaNode["type"]>): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function joinPath(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return segment;
  return segment.startsWith('"') ? `${path}[${segment}]` : `${path}.${segment}`;
}

import type { Diagnostic } from "../util/diagnostics.js";

// Control characters (C0, DEL, C1), bidi overrides and isolates, and line/paragraph separators: text from a
// server ends up in a terminal, where these could rewrite or hide what the user reads.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** Untrusted text made safe to print on one line: unsafe characters become spaces, then it is cut at `max`. */
export function clean(text: string, max: number): string {
  const flat = text.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Untrusted text as a short quoted excerpt, e.g. `"<!DOCTYPE html><html>…"`. */
export function snippet(text: string, max: number): string {
  return JSON.stringify(clean(text, max));
}

/** One line out of a Refold error envelope `{ status_code, http_error_type, error_code | error, message, request_id }`. */
export function envelopeSummary(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const str = (key: string) => (typeof record[key] === "string" && record[key] !== "" ? record[key] : undefined);
  const message = str("message");
  const code = str("error_code") ?? str("error");
  if (message === undefined && code === undefined) return undefined;
  const tags = [str("http_error_type"), code].filter((t) => t !== undefined).map((t) => clean(t, 60));
  const requestId = str("request_id");
  if (requestId !== undefined) tags.push(`request_id ${clean(requestId, 80)}`);
  const head = message === undefined ? "" : snippet(message, 300);
  const tail = tags.length > 0 ? `(${[...new Set(tags)].join(", ")})` : "";
  return [head, tail].filter((p) => p !== "").join(" ");
}

/** Removes every occurrence of each secret from every string of a diagnostic: the last guard against a leak. */
export function redact(diagnostic: Diagnostic, secrets: readonly string[]): Diagnostic {
  if (secrets.length === 0) return diagnostic;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(diagnostic)) {
    out[key] = typeof value === "string" ? scrub(value, secrets) : value;
  }
  return out as unknown as Diagnostic;
}

/** Replaces each secret in `text` with `[redacted]`; run on server text before it is cut, so no prefix survives. */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret === "" ? out : out.split(secret).join("[redacted]")), text);
}

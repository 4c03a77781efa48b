import type { IncomingMessage } from "node:http";

/** Bodies past this are answered 413; the emulator serves tests, not uploads. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const REDACTED = new Set(["x-api-key", "authorization"]);

/** Reads the whole body; past the limit it keeps draining (so the answer can be sent) but stores nothing. */
export async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), tooLarge: size > MAX_BODY_BYTES };
}

/**
 * Splits the request target by hand rather than with `URL`, which would resolve `..` and `%2e%2e`
 * segments; each segment is then decoded alone so an id containing `%2F` stays one segment.
 */
export function splitTarget(url: string): { path: string; segments: string[] | undefined } {
  const raw = url.split(/[?#]/, 1)[0] ?? "/";
  try {
    const segments = raw.split("/").slice(1).map(decodeURIComponent);
    return { path: `/${segments.join("/")}`, segments };
  } catch {
    return { path: raw, segments: undefined };
  }
}

/** Headers for the log, credentials redacted (the log may be printed or saved). */
export function logHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      REDACTED.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : (value ?? ""),
    ]),
  );
}

/** The body for the log: parsed JSON, else the raw text, else undefined. */
export function logBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Credentials this request could leak into the log through anything but the redacted headers (a query
 * string, a body, another header): the emulator's configured key and tokens and the ones it received.
 */
export function credentialsOf(req: IncomingMessage, configured: readonly (string | undefined)[]): string[] {
  const received = [req.headers["x-api-key"], req.headers["authorization"]?.replace(/^Bearer\s+/i, "")];
  return [...configured, ...received.flat()].filter(
    (value): value is string => typeof value === "string" && value.trim().length >= 4,
  );
}

/** Replaces every credential in a log entry's URL, headers and body with `[redacted]`. */
export function scrubCredentials<
  T extends { url: string; path: string; headers: Record<string, string>; body: unknown },
>(entry: T, secrets: readonly string[]): void {
  if (secrets.length === 0) return;
  const scrub = (text: string) => secrets.reduce((value, secret) => value.split(secret).join("[redacted]"), text);
  entry.url = scrub(entry.url);
  entry.path = scrub(entry.path);
  for (const name of Object.keys(entry.headers)) entry.headers[name] = scrub(entry.headers[name] ?? "");
  if (typeof entry.body === "string") entry.body = scrub(entry.body);
  else if (entry.body !== undefined) {
    const json = JSON.stringify(entry.body);
    if (secrets.some((secret) => json.includes(secret))) entry.body = JSON.parse(scrub(json));
  }
}

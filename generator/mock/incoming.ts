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

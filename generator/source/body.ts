import type { Dispatcher } from "undici";
import { envelopeSummary, snippet } from "./text.js";

/** Why an answer could not be used; turned into a Diagnostic by `errors.ts`, which adds where and a hint. */
export interface Failure {
  code: "http-status" | "bad-json" | "network" | "timeout" | "too-large" | "secret-in-answer";
  /** What went wrong, in words, without the server's own message. */
  detail: string;
  status?: number;
  /** The server's error envelope (`message`, `error_code`, `request_id`) in one line, when it sent one. */
  serverMessage?: string;
  /** How many attempts were made, retries included. */
  attempts: number;
}

/** The body was larger than the configured maximum. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
  }
}

/** Reads a whole body as UTF-8 text, refusing more than `limit` bytes so a hostile server cannot exhaust memory. */
export async function readText(body: Dispatcher.ResponseData["body"], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new BodyTooLarge(limit);
    }
    chunks.push(chunk);
  }
  // A BOM is legal in a UTF-8 payload but JSON.parse rejects it.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

/** Parses a 2xx body as JSON, or says in words why it is not JSON (HTML page, empty, truncated, ...). */
export function parseJsonBody(
  text: string,
  contentType: string | undefined,
): { ok: true; value: unknown } | { ok: false; detail: string } {
  if (text.trim() === "") return { ok: false, detail: "the answer's body is empty, expected JSON" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const type = contentType === undefined ? "no content-type" : `content-type ${snippet(contentType, 80)}`;
    if (/html/i.test(contentType ?? "") || /^\s*</.test(text)) {
      return { ok: false, detail: `expected JSON but got an HTML page (${type}), starting ${snippet(text, 80)}` };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      detail: `the answer is not valid JSON (${snippet(reason, 120)}; ${type}; ${text.length} characters, starting ${snippet(text, 80)})`,
    };
  }
}

/** Summarizes an error answer's body: the Refold envelope's fields when it is one, else a short excerpt. */
export function describeErrorBody(text: string, contentType: string | undefined): string | undefined {
  if (text.trim() === "") return undefined;
  try {
    const summary = envelopeSummary(JSON.parse(text));
    if (summary !== undefined) return summary;
  } catch {
    // Not JSON: a proxy's HTML page, for example. An excerpt still helps.
  }
  const type = contentType === undefined ? "" : ` (${snippet(contentType, 60)})`;
  return `body${type} starting ${snippet(text, 100)}`;
}

/** The first value of a response header. */
export function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

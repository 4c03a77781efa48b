import { STATUS_CODES, type ServerResponse } from "node:http";
import type { FaultRule } from "./faults.js";
import { errorReply, jsonReply, type Reply } from "./reply.js";

/** Writes a reply in one go, unless the client has gone or the server is closing. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.end(body);
}

/**
 * Writes the headers and the first half of a reply, then the rest after `ms`. The declared length is the
 * full one, so a client that gives up early sees a truncated body, not a short valid one. Halves are
 * cut on bytes, not UTF-16 units, so the two writes reassemble into exactly the original text.
 */
export async function sendStalled(
  res: ServerResponse,
  reply: Reply,
  ms: number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(reply.body, "utf8");
  const half = Math.floor(body.length / 2);
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.write(body.subarray(0, half));
  await sleep(ms);
  if (!res.destroyed) res.end(body.subarray(half));
}

/**
 * The reply a fault rule sends, built from the normal reply where the rule reshapes it (stall,
 * malformed, delay only). `normal` is called at most once, and only when needed, so a pure status
 * fault does not consume a rate-limit token or depend on credentials.
 */
export function faultReply(rule: FaultRule, normal: () => Reply, requestId: string): Reply {
  const headers = ruleHeaders(rule);
  if (rule.nodeStatus !== undefined) {
    const data = rule.body ?? { error: { message: `Injected node failure (${rule.nodeStatus})` } };
    return jsonReply(200, { node_status: rule.nodeStatus, data, http_status: 500 }, headers);
  }
  if (rule.html === true) {
    const status = rule.status ?? 200;
    return { status, headers: { "content-type": "text/html; charset=utf-8", ...headers }, body: htmlPage(status) };
  }
  if (rule.raw !== undefined) {
    return { status: rule.status ?? 200, headers: { "content-type": "application/json", ...headers }, body: rule.raw };
  }
  if (rule.malformed === true) {
    const base = normal();
    return { status: rule.status ?? base.status, headers: { ...base.headers, ...headers }, body: truncate(base.body) };
  }
  if (rule.stallBodyMs === undefined && rule.status !== undefined) {
    if (rule.body !== undefined) return jsonReply(rule.status, rule.body, headers);
    return errorReply(requestId, rule.status, "INJECTED_FAULT", `Injected fault: HTTP ${rule.status}`, { headers });
  }
  // Delay only, or a stall: the normal answer, with the rule's status and headers on top.
  const base = normal();
  return { status: rule.status ?? base.status, headers: { ...base.headers, ...headers }, body: base.body };
}

function ruleHeaders(rule: FaultRule): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rule.headers ?? {})) headers[name.toLowerCase()] = value;
  if (rule.retryAfter !== undefined) headers["retry-after"] = String(rule.retryAfter);
  return headers;
}

/** The first half of a JSON text, which never parses (checked, since a bare `12` halves to a valid `1`). */
function truncate(body: string): string {
  const bytes = Buffer.from(body, "utf8");
  const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))).toString("utf8");
  try {
    JSON.parse(cut);
  } catch {
    return cut;
  }
  return `{"truncated":${cut}`;
}

function htmlPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}

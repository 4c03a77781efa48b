/**
 * What a test's HTTP server answers, faults included, and how it sends it: one implementation for the
 * runtime tests' scriptable server (test/runtime/server.ts) and the pull tests' fake Refold API
 * (test/source/fake-server.ts).
 */
import type { ServerResponse } from "node:http";

/** What to answer to one request. */
export type Reply =
  | {
      status?: number;
      /** `content-type` is `application/json` unless given here. */
      headers?: Record<string, string>;
      /** Sent as JSON; `body` wins when both are given. */
      json?: unknown;
      body?: string;
      /** Wait before sending the headers. */
      delayMs?: number;
    }
  /** Close the socket without answering. */
  | { fault: "destroy" }
  /** Send the headers and `partial` of the body, then never finish. */
  | { fault: "stall"; status?: number; partial?: string }
  /** Announce a longer body, send `partial`, then cut the connection. */
  | { fault: "truncate"; partial: string }
  /** Send the body one byte every `intervalMs`: never idle for long, yet slow overall. */
  | { fault: "trickle"; intervalMs: number };

/** Sends `reply` on `res`. */
export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if ("fault" in reply) return sendFault(res, reply);
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  const text = reply.body ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
  res.end(text);
}

function sendFault(res: ServerResponse, reply: Extract<Reply, { fault: string }>): void {
  if (reply.fault === "destroy") {
    res.socket?.destroy();
  } else if (reply.fault === "stall") {
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", "content-length": "1000" });
    res.write(reply.partial ?? '{"node_status":"Succ');
  } else if (reply.fault === "truncate") {
    res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
    res.write(reply.partial, () => setTimeout(() => res.socket?.destroy(), 5));
  } else {
    trickle(res, reply.intervalMs);
  }
}

function trickle(res: ServerResponse, intervalMs: number): void {
  const text = JSON.stringify({ node_status: "Success", data: "x".repeat(200) });
  res.writeHead(200, { "content-type": "application/json", "content-length": String(text.length) });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= text.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(text.charAt(sent++));
  }, intervalMs);
  res.on("close", () => clearInterval(timer));
}

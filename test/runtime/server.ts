/** A scriptable loopback HTTP server for runtime tests: records requests, replies or injects faults. */

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { sendReply, type Reply } from "../helpers/replies.js";

export type { Reply } from "../helpers/replies.js";

/** One request as the server saw it. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
  /** `Date.now()` when the request's body had arrived. */
  readonly at: number;
}

/** A reply, or a function choosing one from the request. */
export type Script = Reply | ((request: Recorded, index: number) => Reply);

/** A success envelope for `data`. */
export function ok(data: unknown): Reply {
  return { json: { node_status: "Success", data } };
}

/** A running test server. */
export class TestServer {
  readonly requests: Recorded[] = [];
  private readonly queue: Script[] = [];
  private fallback: Script = (request) => ok({ echo: request.json });

  private address: string | undefined;

  private constructor(private readonly server: Server) {
    server.on("request", (req, res) => void this.handle(req, res));
  }

  /** A server that is not listening yet: scripts may be queued now, `listen()` comes later. */
  static create(): TestServer {
    return new TestServer(createServer());
  }

  /** Starts a server on 127.0.0.1 with an OS-chosen port. */
  static async start(): Promise<TestServer> {
    const instance = TestServer.create();
    await instance.listen();
    return instance;
  }

  /** Listens on 127.0.0.1 with an OS-chosen port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `http://127.0.0.1:<port>`, once listening. */
  get url(): string {
    if (this.address === undefined) throw new Error("TestServer: not listening yet (listen() runs in beforeAll)");
    return this.address;
  }

  /** Queues replies for the next requests, in order; afterwards the default reply is used. */
  script(...replies: Script[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Sets the reply used once the queue is empty (default: a success envelope echoing the body). */
  otherwise(reply: Script): this {
    this.fallback = reply;
    return this;
  }

  /** Forgets the recorded requests and the queued replies. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = (request) => ok({ echo: request.json });
  }

  /** Stops the server, cutting connections left open by stalled replies. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const recorded: Recorded = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body,
      json,
      at: Date.now(),
    };
    const index = this.requests.push(recorded) - 1;
    const script = this.queue.shift() ?? this.fallback;
    const reply = typeof script === "function" ? script(recorded, index) : script;
    await sendReply(res, reply);
  }
}

/**
 * A real redis-server (Debian's, installed by test/system-deps.sh) on a free loopback port, with no
 * persistence, that tests can stop and start again on the same port. A missing binary fails the test.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { createServer, Socket } from "node:net";

export const REDIS_SERVER = "/usr/bin/redis-server";

export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port, unless it runs, and resolves once it answers PING. */
  async resume(): Promise<void> {
    if (this.child !== undefined && this.child.exitCode === null) return;
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    // A test run that ends without stop() (a failed hook, a killed worker) must not leave Redis running.
    const reap = (): void => void child.kill("SIGKILL");
    process.once("exit", reap);
    child.once("exit", () => process.off("exit", reap));
    const failed = new Promise<never>((_, reject) => {
      child.once("error", (error) =>
        reject(new Error(`cannot start ${REDIS_SERVER} (run: bash test/system-deps.sh): ${error.message}`)),
      );
      child.once("exit", (code) =>
        reject(new Error(`${REDIS_SERVER} exited with ${String(code)} on port ${this.port}`)),
      );
    });
    await Promise.race([failed, waitForPing(this.port)]);
  }

  /** Stops the server; its data goes with it. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPing(port: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}

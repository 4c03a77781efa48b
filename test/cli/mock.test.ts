// `refold-codegen mock`: the emulator as a process, as users run it next to their own tests.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createServer } from "node:net";
import type { Readable } from "node:stream";
import { Agent, request } from "undici";
import { afterAll, describe, it } from "vitest";
import { catalog, cleanup, CLI, cliEnv, KEY, output, pick, runCli, tempDir, writeLockFrom } from "./cli-helpers.js";

const agent = new Agent();
afterAll(async () => {
  await agent.close();
  await cleanup();
});

interface MockProcess {
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout matches `pattern`. */
  waitFor: (pattern: RegExp) => Promise<void>;
  /** Sends `signal` and resolves with how the process ended and how long it took. */
  stop: (signal: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const running = new Set<ChildProcessByStdio<null, Readable, Readable>>();
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

/** Spawns `cli.js mock ...args` and resolves once it prints the URL it listens on. */
async function spawnMock(args: string[], cwd: string): Promise<MockProcess> {
  const child = spawn(process.execPath, [CLI, "mock", ...args], {
    cwd,
    env: cliEnv({ REFOLD_API_KEY: KEY }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => {
      running.delete(child);
      for (const wake of waiters.splice(0)) wake();
      done({ code, signal });
    }),
  );
  const waitFor = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(stdout)) {
      if (child.exitCode !== null)
        throw new Error(`mock exited (${child.exitCode}) before printing ${pattern}:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`mock did not print ${pattern} in time:\n${stdout}\n${stderr}`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
  };
  await waitFor(/http:\/\/127\.0\.0\.1:\d+/);
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)![0];
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor,
    stop: async (signal) => {
      const started = Date.now();
      child.kill(signal);
      const end = await exited;
      return { ...end, ms: Date.now() - started };
    },
  };
}

async function lockFolder(): Promise<string> {
  const dir = await tempDir();
  await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
  return dir;
}

const schemaPath = "/api/v2/integration-schema/hubspot/actions/create_contact";

describe.concurrent("mock command", () => {
  it("serves the lock on the printed URL, logs each request, and exits promptly on SIGTERM", async ({ expect }) => {
    const dir = await lockFolder();
    const mock = await spawnMock(["--port", "0", "--lock", "refold.lock.json"], dir);
    expect(mock.stdout()).toMatch(
      /^Refold emulator on http:\/\/127\.0\.0\.1:\d+: 2 apps, 28 actions from .*refold\.lock\.json \(x-api-key must equal REFOLD_API_KEY\)$/m,
    );

    const executed = await request(`${mock.url}${schemaPath}/execute`, {
      method: "POST",
      dispatcher: agent,
      headers: { "x-api-key": KEY, linked_account_id: "acct-1", "content-type": "application/json" },
      body: JSON.stringify({ email: "jane@example.com", firstname: "Jane" }),
    });
    expect(executed.statusCode).toBe(200);
    const body = (await executed.body.json()) as { node_status: string; data: { action: string } };
    expect(body).toMatchObject({ node_status: "Success", data: { action: "hubspot.create_contact" } });

    const wrongKey = await request(`${mock.url}${schemaPath}`, {
      dispatcher: agent,
      headers: { "x-api-key": "tk_other_key_0000", linked_account_id: "acct-1" },
    });
    expect(wrongKey.statusCode).toBe(401);
    await wrongKey.body.dump();

    await mock.waitFor(/GET \/api\/v2\/integration-schema\/hubspot\/actions\/create_contact 401/);
    expect(mock.stdout()).toContain("POST /api/v2/integration-schema/hubspot/actions/create_contact/execute 200");

    // The agent still holds a keep-alive connection: SIGTERM must not wait for it.
    const end = await mock.stop("SIGTERM");
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.ms).toBeLessThan(2_000);
    expect(mock.stdout()).not.toContain(KEY);
    expect(mock.stderr()).not.toContain(KEY);
    console.info(`mock exited ${end.ms} ms after SIGTERM`);
  });

  it("--json prints JSON lines: the listening event, then one per request with the key redacted; SIGINT stops it", async ({
    expect,
  }) => {
    const dir = await lockFolder();
    const mock = await spawnMock(["--port", "0", "--lock", "refold.lock.json", "--json"], dir);
    const listened = await request(`${mock.url}/api/v2/integration-schema/jira/actions`, {
      dispatcher: agent,
      headers: { "x-api-key": KEY, linked_account_id: "acct-1" },
    });
    expect(listened.statusCode).toBe(200);
    await listened.body.dump();
    await mock.waitFor(/"seq":1/);
    const lines = mock
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      event: "listening",
      url: mock.url,
      apps: 2,
      actions: 28,
      source: expect.any(String),
      corsOrigins: ["loopback"],
    });
    expect(lines[1]).toMatchObject({
      seq: 1,
      method: "GET",
      path: "/api/v2/integration-schema/jira/actions",
      status: 200,
      headers: { "x-api-key": "[redacted]", linked_account_id: "acct-1" },
    });
    const end = await mock.stop("SIGINT");
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.ms).toBeLessThan(2_000);
    expect(mock.stdout()).not.toContain(KEY);
  });

  it("--json never prints REFOLD_API_KEY, even when a client sends it in the query, the body or another header", async ({
    expect,
  }) => {
    // Was (fixed): only the x-api-key and authorization headers are redacted: the log line's "url", "body" and other
    // headers are printed as received, although the emulator knows the key's value (REFOLD_API_KEY).
    const dir = await lockFolder();
    const mock = await spawnMock(["--port", "0", "--lock", "refold.lock.json", "--json"], dir);
    const response = await request(
      `${mock.url}/api/v2/integration-schema/hubspot/actions/httprequest/execute?api_key=${KEY}`,
      {
        method: "POST",
        dispatcher: agent,
        headers: {
          "x-api-key": KEY,
          "x-refold-key": KEY,
          linked_account_id: "acct-1",
          "content-type": "application/json",
        },
        body: JSON.stringify({ url_path: "/v1/x", headers: { "x-api-key": KEY } }),
      },
    );
    await response.body.dump();
    await mock.waitFor(/"seq":1/);
    await mock.stop("SIGTERM");
    expect(mock.stdout()).not.toContain(KEY);
  });

  it("--cors-origin is repeatable: each origin is allowed, loopback no longer is", async ({ expect }) => {
    const dir = await lockFolder();
    const args = ["--port", "0", "--lock", "refold.lock.json", "--cors-origin", "https://a.example.test"];
    const mock = await spawnMock([...args, "--cors-origin", "http://b.example.test:8080"], dir);
    const statuses: number[] = [];
    for (const origin of ["https://a.example.test", "http://b.example.test:8080", "http://localhost:5173"]) {
      const res = await request(`${mock.url}/api/v2/integration-schema/jira/actions`, {
        method: "OPTIONS",
        dispatcher: agent,
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "x-api-key" },
      });
      await res.body.dump();
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([204, 204, 403]);
    expect(mock.stdout()).toContain(
      "CORS: browser pages may call it from https://a.example.test, http://b.example.test:8080",
    );
    await mock.waitFor(/403 preflight from http:\/\/localhost:5173/);
    await mock.stop("SIGTERM");
  });

  it("a port already in use is reported as an error (exit 2 or 3), not as an internal crash (exit 1)", async ({
    expect,
  }) => {
    // Was (fixed): exit 1 (the code for "differences") and the raw EADDRINUSE stack trace.
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    const address = busy.address();
    const port = address !== null && typeof address === "object" ? address.port : 0;
    try {
      const dir = await lockFolder();
      const result = await runCli(["mock", "--port", String(port), "--lock", "refold.lock.json"], {
        cwd: dir,
        env: { REFOLD_API_KEY: KEY },
      });
      expect(result.stderr).toMatch(/EADDRINUSE|in use/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect([2, 3], output(result)).toContain(result.code);
    } finally {
      await new Promise<void>((done) => busy.close(() => done()));
    }
  });
});

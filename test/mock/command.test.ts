import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRateLimit, runMockCommand } from "../../generator/mock/command.js";
import type { MockServer } from "../../generator/mock/index.js";
import { call, FIXTURE_JSON, makeAgent, paths } from "./fixture.js";

const agent = makeAgent();
afterAll(() => agent.close());
const dir = mkdtempSync(join(tmpdir(), "mock-command-"));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

/** Runs the command until `use` is done, collecting what it prints. */
async function withCommand(args: Record<string, unknown>, use: (server: MockServer) => Promise<void>) {
  const lines: string[] = [];
  const controller = new AbortController();
  let failure: Error | undefined;
  const running = runMockCommand({
    port: 0,
    cwd: dir,
    env: {},
    signal: controller.signal,
    print: (line) => lines.push(line),
    onListening: (server) => {
      use(server)
        .catch((error: Error) => (failure = error))
        .finally(() => controller.abort());
    },
    ...args,
  });
  await running;
  if (failure !== undefined) throw failure;
  return lines;
}

describe("mock command", () => {
  it("serves a catalog file with the environment's key, logging each request, until aborted", async () => {
    const lock = write("catalog.json", `{ "apps": ${FIXTURE_JSON} }`);
    const faults = write("faults.json", JSON.stringify([{ route: "schema", status: 503, times: 1 }]));
    const lines = await withCommand(
      { lock, faults, env: { REFOLD_API_KEY: "tk_test" }, rateLimit: "100/10" },
      async (server) => {
        expect((await call(agent, server.url, "GET", paths.list("google-sheets"))).status).toBe(200);
        expect((await call(agent, server.url, "GET", paths.schema("hubspot", "get_contact"))).status).toBe(503);
        const wrongKey = await call(agent, server.url, "GET", paths.list("hubspot"), {
          headers: { "x-api-key": "other" },
        });
        expect(wrongKey.status).toBe(401);
      },
    );
    expect(lines[0]).toMatch(
      /^Refold emulator on http:\/\/127\.0\.0\.1:\d+: 2 apps, 8 actions from .*catalog\.json \(x-api-key must equal REFOLD_API_KEY\)$/,
    );
    expect(lines).toContain("GET /api/v2/integration-schema/google-sheets/actions 200");
    expect(lines).toContain("GET /api/v2/integration-schema/hubspot/actions/get_contact 503 fault=status");
    expect(lines.some((line) => line.startsWith("warning: app hubspot, action create_contact, field custom"))).toBe(
      true,
    );
    expect(lines.join("\n")).not.toContain("tk_test");
  });

  it("reads a lock file, and prints JSON lines with --json", async () => {
    const apps = JSON.parse(FIXTURE_JSON) as Record<string, object>;
    const locked = Object.fromEntries(Object.entries(apps).map(([slug, app]) => [slug, { hash: "sha256-x", ...app }]));
    const lock = write("refold.lock.json", JSON.stringify({ lockfileVersion: 1, apps: locked }));
    const lines = await withCommand({ lock, json: true }, async (server) => {
      await call(agent, server.url, "GET", paths.applications);
    });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ event: "listening", apps: 2, actions: 8 });
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({ method: "GET", path: paths.applications, status: 200 });
  });

  it("--cors-origin replaces the loopback default, says so, and prints each preflight", async () => {
    const lock = write("catalog-cors.json", `{ "apps": ${FIXTURE_JSON} }`);
    const ask = (server: MockServer, origin: string) =>
      call(agent, server.url, "OPTIONS", paths.list("hubspot"), {
        auth: false,
        headers: { origin, "access-control-request-method": "GET" },
      });
    const lines = await withCommand({ lock, corsOrigin: ["https://app.example.test", "loopback"] }, async (server) => {
      expect((await ask(server, "https://app.example.test")).status).toBe(204);
      expect((await ask(server, "http://evil.example")).status).toBe(403);
      expect((await ask(server, "http://localhost:3000")).status).toBe(204);
    });
    expect(lines[1]).toBe(
      "CORS: browser pages may call it from loopback origins, https://app.example.test (--cors-origin to change)",
    );
    const path = paths.list("hubspot");
    expect(lines).toContain(`OPTIONS ${path} 204 preflight from https://app.example.test for GET`);
    expect(lines).toContain(
      `OPTIONS ${path} 403 preflight from http://evil.example for GET refused (origin not allowed; see --cors-origin)`,
    );
  });

  it("says which origins it allows by default, and prints preflights as JSON events with --json", async () => {
    const lock = write("catalog-cors-json.json", `{ "apps": ${FIXTURE_JSON} }`);
    const plain = await withCommand({ lock }, async () => undefined);
    expect(plain[1]).toBe("CORS: browser pages may call it from loopback origins (--cors-origin to change)");
    const lines = await withCommand({ lock, json: true, corsOrigin: "*" }, async (server) => {
      await call(agent, server.url, "OPTIONS", paths.list("hubspot"), {
        auth: false,
        headers: { origin: "http://evil.example", "access-control-request-method": "GET" },
      });
    });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ event: "listening", corsOrigins: ["*"] });
    expect(JSON.parse(lines.at(-1) ?? "")).toEqual({
      event: "preflight",
      seq: 1,
      path: paths.list("hubspot"),
      url: paths.list("hubspot"),
      origin: "http://evil.example",
      requestMethod: "GET",
      requestHeaders: [],
      allowed: true,
      status: 204,
    });
  });

  it.each([
    ["a missing file", { lock: "nope.json" }, /cannot read .*nope\.json to serve/],
    ["a file that is neither", { lock: write("other.json", "[1]") }, /neither a lock file nor a catalog/],
    ["a bad lock", { lock: write("old.lock.json", '{"lockfileVersion":9,"apps":{}}') }, /lockfileVersion/],
    ["a bad faults file", { lock: write("c2.json", '{"apps":{}}'), faults: write("f.json", "{") }, /faults file/],
    ["a bad rate limit", { lock: write("c3.json", '{"apps":{}}'), rateLimit: "fast" }, /--rate-limit/],
    [
      "a CORS origin that is not one",
      { lock: write("c4.json", '{"apps":{}}'), corsOrigin: ["localhost:5173"] },
      /CORS origins: "localhost:5173" is not an origin/,
    ],
  ])("fails with a usage error on %s", async (_name, args, message) => {
    await expect(runMockCommand({ port: 0, cwd: dir, env: {}, print: () => undefined, ...args })).rejects.toThrow(
      message,
    );
  });

  it.each([
    ["20/5", { perSecond: 20, burst: 5 }],
    [" 0.5 / 2 ", { perSecond: 0.5, burst: 2 }],
    ["10", { perSecond: 10, burst: 10 }],
  ])("parses --rate-limit %j", (text, want) => {
    expect(parseRateLimit(text)).toEqual(want);
  });

  it.each(["", "0/5", "5/0", "a/b", "20/5/1"])("rejects --rate-limit %j", (text) => {
    expect(() => parseRateLimit(text)).toThrow(/--rate-limit/);
  });
});

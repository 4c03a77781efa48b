// The calls around actions (connections, session tokens, close) and a multi-tenant server's binding, against
// the emulator and against an independent Refold-compatible server written from refold-api.md alone.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import {
  createRefold,
  RefoldAppAuthError,
  RefoldAuthenticationError,
  RefoldConfigError,
  RefoldError,
  type RefoldConnections,
} from "../../generated/index.js";
import { sampleCatalog, linkedProject } from "../helpers/project.js";
import { compile } from "../helpers/tsc.js";

const KEY = "tk_accounts_0123456789";
let mock: MockServer;

beforeAll(async () => {
  mock = await startMock({
    apps: (await sampleCatalog()).apps,
    apiKey: KEY,
    connections: { "acct-a": { jira: "expired", slack: "missing" }, "acct-b": {} },
  });
});
afterAll(() => mock.close());

describe("connections()", () => {
  it("resolves one entry per configured app, keyed like the apps, from one request for the account", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url });
    try {
      const before = mock.requests.length;
      const connections: RefoldConnections = await refold.forAccount("acct-a").connections();
      expect(Object.keys(connections)).toEqual(["googleSheets", "hubspot", "jira", "salesforce", "slack"]);
      expect(connections.hubspot).toEqual({
        slug: "hubspot",
        connected: true,
        reauthRequired: false,
        status: "active",
      });
      expect(connections.jira).toEqual({ slug: "jira", connected: true, reauthRequired: true, status: "expired" });
      expect(connections.slack).toEqual({ slug: "slack", connected: false, reauthRequired: false });
      expect(connections.googleSheets.slug).toBe("google-sheets");
      const sent = mock.requests.slice(before);
      expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v2/public/application"]);
      expect(sent[0]?.headers["linked_account_id"]).toBe("acct-a");
    } finally {
      await refold.close();
    }
  });

  it("follows the emulator's setConnection, and fails as any call fails (a RefoldError)", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url, linkedAccountId: "acct-b" });
    try {
      mock.setConnection("acct-b", "hubspot", "missing");
      expect((await refold.connections()).hubspot.connected).toBe(false);
      mock.setConnection("acct-b", "hubspot", "connected");
      expect((await refold.connections()).hubspot.connected).toBe(true);
      const wrongKey = createRefold({ apiKey: "tk_wrong", baseUrl: mock.url, maxRetries: 0 });
      await expect(wrongKey.forAccount("acct-a").connections()).rejects.toBeInstanceOf(RefoldAuthenticationError);
      await wrongKey.close();
    } finally {
      await refold.close();
    }
  });
});

describe("an app that is not connected, or must connect again", () => {
  it("fails its actions with RefoldAppAuthError (the provider's 401 in a failed action), which connections() explains", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 });
    try {
      const account = refold.forAccount("acct-a");
      const missing = await account.slack.listChannels().catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(RefoldAppAuthError);
      expect(missing).toMatchObject({ app: "slack", action: "list_channels", nodeStatus: "Errored", httpStatus: 401 });
      expect((missing as Error).message).toMatch(/has not connected slack/);
      const expired = await account.jira.getCurrentUser().catch((e: unknown) => e);
      expect(expired).toBeInstanceOf(RefoldAppAuthError);
      expect((expired as Error).message).toMatch(/must connect again/);
      await expect(refold.forAccount("acct-b").jira.getCurrentUser()).resolves.toMatchObject({ account: "acct-b" });
    } finally {
      await refold.close();
    }
  });
});

describe("sessionToken()", () => {
  it("mints a token for one linked account with the API key; the token then runs actions as that account", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url });
    try {
      const before = mock.requests.length;
      const session = await refold.sessionToken("acct-b");
      expect(session).toEqual({ token: expect.any(String), refreshToken: expect.any(String), expiresIn: 86_400 });
      const [request] = mock.requests.slice(before);
      expect(request).toMatchObject({
        method: "POST",
        path: "/api/v2/public/session-token",
        body: { linked_account_id: "acct-b" },
      });
      expect(await refold.sessionToken("acct-b")).toEqual(session);
      expect((await refold.sessionToken("acct-b", { forceRefresh: true })).token).not.toBe(session.token);
      // What a browser does with it: no API key anywhere.
      const browser = createRefold({ sessionToken: session.token, baseUrl: mock.url });
      await expect(browser.jira.getCurrentUser()).resolves.toMatchObject({ account: "acct-b" });
      await browser.close();
    } finally {
      await refold.close();
    }
  });

  it("is refused locally to a client made with a session token, nothing sent", async () => {
    const browser = createRefold({ sessionToken: "some-token", baseUrl: mock.url });
    const before = mock.requests.length;
    await expect(browser.sessionToken("acct-b")).rejects.toBeInstanceOf(RefoldConfigError);
    expect(mock.requests.length).toBe(before);
    await browser.close();
  });
});

describe("forAccount()", () => {
  it("costs one object: nothing per app or action until used, and a method can still be passed around alone", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url });
    try {
      const account = refold.forAccount("acct-b");
      expect(Object.getOwnPropertyNames(account)).toEqual([]);
      const { hubspot } = account;
      expect(Object.getOwnPropertyNames(account)).toEqual(["hubspot"]);
      expect(Object.getOwnPropertyNames(hubspot)).toEqual([]);
      const { getContact } = hubspot;
      expect(Object.getOwnPropertyNames(hubspot)).toEqual(["getContact"]);
      await expect(getContact({ limit: "1" })).resolves.toMatchObject({ account: "acct-b" });
      // A call's own linkedAccountId still wins; the root client is not bound.
      await expect(account.hubspot.getContact({}, { linkedAccountId: "acct-a" })).resolves.toMatchObject({
        account: "acct-a",
      });
      expect(() => refold.forAccount("")).toThrow(RefoldConfigError);
    } finally {
      await refold.close();
    }
  });
});

describe("close()", () => {
  it("closes the pool: a script that calls it exits at once, keep-alive sockets or not", async () => {
    // The generated client compiled as a user's build would, then run by a script in its own process.
    const dir = await linkedProject("close", { withGenerated: true });
    await compile(dir, ["out/**/*.ts"], "NodeNext", "dist");
    const run = (close: boolean) =>
      new Promise<number>((done, reject) => {
        const code = `
          import { createRefold } from "./dist/out/index.js";
          const started = Date.now();
          process.on("exit", () => process.stdout.write(String(Date.now() - started)));
          const refold = createRefold({ apiKey: ${JSON.stringify(KEY)}, baseUrl: ${JSON.stringify(mock.url)} });
          await refold.forAccount("acct-b").jira.getCurrentUser();
          ${close ? "await refold.close();" : ""}
        `;
        const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: dir });
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
        child.on("error", reject);
        child.on("close", () => done(Number(out)));
      });
    expect(await run(true)).toBeLessThan(1_000);
  }, 60_000);

  it("leaves a closed client refusing calls with a RefoldError", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 });
    await refold.close();
    await expect(refold.forAccount("acct-b").jira.getCurrentUser()).rejects.toBeInstanceOf(RefoldError);
  });

  it("leaves a client over fetch refusing calls too, sending nothing", async () => {
    let sent = 0;
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url, fetch: (url, init) => (sent++, fetch(url, init)) });
    await refold.forAccount("acct-b").jira.getCurrentUser();
    await refold.close();
    await expect(refold.forAccount("acct-b").jira.getCurrentUser()).rejects.toThrow(/the client is closed/);
    expect(sent).toBe(1);
  });

  it("is what `await using` calls (Symbol.asyncDispose), where the runtime has the symbol", async () => {
    const refold = createRefold({ apiKey: KEY, baseUrl: mock.url });
    const dispose = (refold as unknown as Record<symbol, () => Promise<void>>)[Symbol.asyncDispose];
    expect(typeof dispose).toBe("function");
    await dispose?.call(refold);
  });
});

/** An independent Refold-compatible server, written from refold-api.md: older payload shapes, extra fields. */
async function independentServer(): Promise<{
  url: string;
  seen: { path: string; account: string | undefined; body: string }[];
  close(): Promise<void>;
}> {
  const seen: { path: string; account: string | undefined; body: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const account = req.headers["linked_account_id"] as string | undefined;
      seen.push({ path: req.url ?? "", account, body });
      res.setHeader("content-type", "application/json");
      if (req.headers["x-api-key"] !== KEY)
        return res.writeHead(401).end(JSON.stringify({ status_code: 401, message: "Invalid Credentials" }));
      if (req.url === "/api/v2/public/application") {
        // The docs' sample: connected_accounts without a status, extra keys, an app this project does not configure.
        return res.end(
          JSON.stringify([
            {
              name: "Slack",
              icon: "x",
              auth_type: "oauth2",
              tags: ["Communication"],
              connected: true,
              connected_accounts: [{ identifier: "Cobalt", connectedAt: "2023-05-31T07:45:59.841Z" }],
              slug: "slack",
              reauth_required: true,
            },
            { name: "HubSpot", slug: "hubspot", connected: false, connected_accounts: [] },
            { name: "Zendesk", slug: "zendesk", connected: true },
          ]),
        );
      }
      if (req.url === "/api/v2/public/session-token" && req.method === "POST")
        return res.end(JSON.stringify({ token: "older-token-shape" }));
      res.writeHead(404).end(JSON.stringify({ status_code: 404, message: "Not found" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("against an independent Refold-compatible server", () => {
  it("reads connections and session tokens in the shapes the docs publish, older ones included", async () => {
    const server = await independentServer();
    const refold = createRefold({ apiKey: KEY, baseUrl: server.url });
    try {
      const connections = await refold.forAccount("cust-9").connections();
      expect(connections.slack).toEqual({ slug: "slack", connected: true, reauthRequired: true });
      expect(connections.hubspot).toEqual({ slug: "hubspot", connected: false, reauthRequired: false });
      expect(connections.jira).toEqual({ slug: "jira", connected: false, reauthRequired: false });
      expect(await refold.sessionToken("cust-9")).toEqual({ token: "older-token-shape" });
      expect(server.seen.map((s) => [s.path, s.account])).toEqual([
        ["/api/v2/public/application", "cust-9"],
        ["/api/v2/public/session-token", undefined],
      ]);
      expect(JSON.parse(server.seen[1]?.body ?? "")).toEqual({ linked_account_id: "cust-9" });
    } finally {
      await refold.close();
      await server.close();
    }
  });
});

// Issue 19 in a browser: Debian's headless Chromium (driven by playwright-core) opens a page served from
// its own loopback origin, which imports the esbuild browser bundle of the program and runs it against the
// emulator on another origin (CORS) with a session token minted by the server side; a client made with the
// API key must refuse to start, sending nothing. Chromium missing fails the test (test/system-deps.sh
// installs it): nothing is skipped.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../generator/mock/index.js";
import { createRefold } from "../../generated/index.js";
import { bundle } from "./bundle.js";
import { ACCOUNT, API_KEY, expectReport, expectRequests, removeDir, ROOT, startEmulator } from "./harness.js";
import type { apiKeyRefusal } from "./program.js";
import { playwright, type PlaywrightContext, type PlaywrightPage } from "./tools.js";

export const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server: MockServer;
let site: Server;
let siteUrl: string;
let context: PlaywrightContext | undefined;
let profile: string | undefined;
let page: PlaywrightPage;
/** Uncaught errors of the page (none expected); console errors are only printed (a 429 is logged as one). */
const pageErrors: string[] = [];

/** The page's own origin: the test page and the program's browser bundle, nothing else. */
async function serveSite(script: string): Promise<Server> {
  const html = `<!doctype html><meta charset="utf-8"><title>refold runtime test</title><script type="module" src="/program.js"></script>`;
  const site = createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (req.url === "/program.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  return site;
}

beforeAll(async () => {
  const program = await bundle(ROOT, "test/runtimes/entries/browser.ts", "browser");
  expect(program.externals).toEqual([]);
  server = await startEmulator();
  site = await serveSite(program.text);
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), "refold-runtime-chromium-"));
  context = await playwright(ROOT).chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 30_000,
  });
  console.log(`chromium ${context.browser()?.version() ?? "(version unknown)"}`);
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") console.log(`chromium console: ${message.text()}`);
  });
  await page.goto(`${siteUrl}/`);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (site) await new Promise<void>((resolve) => site.close(() => resolve()));
  await removeDir(profile);
});

/** Calls a function of the page's program module with JSON options; its result comes back as JSON. */
async function callProgram(name: "run" | "apiKeyRefusal", options: object): Promise<unknown> {
  const text = await page.evaluate(
    `import("/program.js").then((program) => program.${name}(${JSON.stringify(options)})).then((result) => JSON.stringify(result))`,
  );
  return JSON.parse(text as string);
}

describe("headless Chromium", () => {
  it("the page and the emulator are different origins (the calls are cross-origin)", () => {
    expect(new URL(siteUrl).origin).not.toBe(new URL(server.url).origin);
  });

  it("a client made with the API key refuses to start: RefoldConfigError, nothing sent", async () => {
    const before = server.requests.length;
    const preflightsBefore = server.preflights.length;
    const refusal = (await callProgram("apiKeyRefusal", {
      baseUrl: server.url,
      apiKey: API_KEY,
      linkedAccountId: ACCOUNT,
    })) as Awaited<ReturnType<typeof apiKeyRefusal>>;
    expect(refusal.refused).toBe("RefoldConfigError");
    expect(refusal.message).toMatch(/browser/);
    expect(refusal.message).not.toContain(API_KEY);
    expect(server.requests.length).toBe(before);
    expect(server.preflights.length).toBe(preflightsBefore);
  });

  it("the program runs with a session token minted on the server side", async () => {
    // The server side (Node) mints the token with the generated client, as the README describes.
    const backend = createRefold({ apiKey: API_KEY, baseUrl: server.url });
    const { token } = await backend.sessionToken(ACCOUNT);
    await backend.close();
    const from = server.requests.length;
    const report = await callProgram("run", { baseUrl: server.url, sessionToken: token });
    expect(pageErrors).toEqual([]);
    expectReport(report);
    // The browser sends its own user-agent (the client sets none there).
    expectRequests(server, { auth: "sessionToken", userAgent: /HeadlessChrome\//, from });
    // Cross-origin: Chromium asked first (the preflights), from the page's origin, and was allowed.
    expect(server.preflights.length).toBeGreaterThan(0);
    for (const preflight of server.preflights) {
      expect(preflight).toMatchObject({ origin: siteUrl, requestMethod: "POST", allowed: true, status: 204 });
      expect(preflight.requestHeaders).toContain("authorization");
    }
  });
});

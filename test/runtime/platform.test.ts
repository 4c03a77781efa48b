// Which transport a client picks with no configuration (templates/runtime/platform.ts), seen from the server:
// undici.request sends only our headers, while a fetch adds its own (`sec-fetch-mode`). Other runtimes are
// recognized by their globals, imitated here; test/runtimes/ runs the real ones.
import { afterEach, describe, expect, it } from "vitest";
import { RefoldClient, RefoldConfigError, type RefoldClientOptions } from "../../templates/runtime/index.js";
import * as abort from "../../templates/runtime/abort.js";
import * as browserAbort from "../../templates/runtime/abort.browser.js";
import * as connect from "../../templates/runtime/connect.js";
import * as browserConnect from "../../templates/runtime/connect.browser.js";
import * as browserNode from "../../templates/runtime/node.browser.js";
import * as node from "../../templates/runtime/node.js";
import { ACCOUNT, API_KEY, SESSION_TOKEN, getContact, useTestServer } from "./fixtures.js";

const { server, track } = useTestServer();
const restores: (() => void)[] = [];

/** Sets properties of `target` (globals by default) as another runtime has them, until the test ends. */
function imitate(globals: Record<string, unknown>, target: object = globalThis): void {
  for (const [name, value] of Object.entries(globals)) {
    const before = Object.getOwnPropertyDescriptor(target, name);
    Object.defineProperty(target, name, { value, configurable: true, writable: true });
    restores.push(() =>
      before === undefined ? Reflect.deleteProperty(target, name) : Object.defineProperty(target, name, before),
    );
  }
}

async function call(options: Partial<RefoldClientOptions> = {}): Promise<Record<string, unknown>> {
  const client = new RefoldClient({ apiKey: API_KEY, baseUrl: server.url, linkedAccountId: ACCOUNT, ...options });
  track(client);
  await client.run(getContact, {});
  const request = server.requests.at(-1);
  if (request === undefined) throw new Error("no request reached the server");
  return request.headers;
}

afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore();
});

describe("the transport a client picks by itself", () => {
  it("is undici on Node, naming Node in the user agent", async () => {
    const headers = await call();
    expect(headers["sec-fetch-mode"]).toBeUndefined();
    expect(headers["user-agent"]).toBe(`refold-codegen-runtime/0.1 node/${process.version}`);
  });

  it.each([
    ["Bun", { Bun: { version: "1.4.4" } }, "refold-codegen-runtime/0.1 bun/1.4.4"],
    ["Deno", { Deno: { version: { deno: "2.9.6" } } }, "refold-codegen-runtime/0.1 deno/2.9.6"],
    [
      "Cloudflare's workerd (which has a global process)",
      { navigator: { userAgent: "Cloudflare-Workers" } },
      "refold-codegen-runtime/0.1",
    ],
    ["Vercel's edge runtime", { EdgeRuntime: "edge-runtime" }, "refold-codegen-runtime/0.1"],
  ])("is the platform's fetch on %s, though it imitates Node", async (_name, globals, agent) => {
    imitate(globals);
    const headers = await call();
    expect(headers["sec-fetch-mode"]).toBe("cors");
    expect(headers["user-agent"]).toBe(agent);
  });

  it("is the user's fetch when given, called bare (a browser's fetch refuses any other `this`)", async () => {
    const seen: unknown[] = [];
    const headers = await call({
      fetch: function (this: unknown, url, init) {
        seen.push(this, url, init.method);
        return fetch(url, init);
      },
    });
    expect(seen).toEqual([
      undefined,
      `${server.url}/api/v2/integration-schema/hubspot/actions/get_contact/execute`,
      "POST",
    ]);
    expect(headers["sec-fetch-mode"]).toBe("cors");
  });

  it("is fetch where Node gives no way to load undici (no process.getBuiltinModule, as before Node 20.16)", async () => {
    // Node without getBuiltinModule (as before 20.16) gives the runtime no way to load undici.
    imitate({ getBuiltinModule: undefined }, process);
    const headers = await call();
    expect(headers["sec-fetch-mode"]).toBe("cors");
  });
});

describe("in a browser", () => {
  it("refuses an API key before sending anything, unless dangerouslyAllowBrowser", async () => {
    imitate({ window: {}, document: {} });
    expect(() => new RefoldClient({ apiKey: API_KEY, baseUrl: server.url })).toThrow(RefoldConfigError);
    expect(() => new RefoldClient({ apiKey: API_KEY, baseUrl: server.url })).toThrow(/session token/);
    expect(server.requests).toHaveLength(0);
    await call({ dangerouslyAllowBrowser: true });
    expect(server.requests).toHaveLength(1);
  });

  it("takes a session token and leaves the user agent to the browser", async () => {
    imitate({ window: {}, document: {} });
    const headers = await call({ apiKey: undefined, sessionToken: SESSION_TOKEN });
    expect(headers["authorization"]).toBe(`Bearer ${SESSION_TOKEN}`);
    expect(headers["user-agent"] ?? "").not.toMatch(/refold-codegen/);
  });
});

describe("node.browser.ts, which a browser bundle takes for node.ts", () => {
  it("exports what node.ts exports, and has no undici: no runtime named, a dispatcher refused naming fetch", () => {
    expect(Object.keys(browserNode).sort()).toEqual(Object.keys(node).sort());
    expect(browserNode.runtimeVersion()).toBe("");
    expect(browserNode.nodeTransport(undefined)).toBeUndefined();
    const dispatcher = { request: () => Promise.reject(new Error("unused")), close: () => Promise.resolve() };
    expect(() => browserNode.nodeTransport(dispatcher)).toThrow(RefoldConfigError);
    expect(() => browserNode.nodeTransport(dispatcher)).toThrow(/pass fetch instead/);
  });
});

describe("the other browser twins (abort.browser.ts, connect.browser.ts)", () => {
  it("export what their modules export", () => {
    expect(Object.keys(browserAbort).sort()).toEqual(Object.keys(abort).sort());
    expect(Object.keys(browserConnect).sort()).toEqual(Object.keys(connect).sort());
  });

  it("watch a signal with one listener per call, removed when the call stops watching", () => {
    const controller = new AbortController();
    const fired: number[] = [];
    const stopFirst = browserAbort.onAbort(controller.signal, () => fired.push(1));
    browserAbort.onAbort(controller.signal, () => fired.push(2));
    stopFirst();
    controller.abort();
    expect(fired).toEqual([2]);
  });

  it("know no code of a failed connection: a browser's fetch names none", () => {
    expect(browserConnect.CONNECT_FAILURES.size).toBe(0);
    expect(connect.CONNECT_FAILURES.has("ECONNREFUSED")).toBe(true);
  });
});

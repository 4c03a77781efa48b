import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CodegenError } from "../../generator/util/diagnostics.js";
import { loadMockFaults, parseFaults, startMock, type FaultRule, type MockServer } from "../../generator/mock/index.js";
import { call, fixtureApps, KEY_HEADERS, makeAgent, paths } from "./fixture.js";

const agent = makeAgent();
let mock: MockServer;

beforeAll(async () => {
  mock = await startMock({ apps: fixtureApps() });
});
beforeEach(() => mock.setFaults([]));
afterAll(async () => {
  await mock.close();
  await agent.close();
});

const list = paths.list("hubspot");
const get = (path = list, options?: Parameters<typeof call>[4]) => call(agent, mock.url, "GET", path, options);
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
};

describe("status faults", () => {
  it("answers the status `times` times, then normally", async () => {
    mock.setFaults([{ path: list, status: 503, times: 2 }]);
    const before = mock.stats.faulted;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(mock.stats.faulted - before).toBe(2);
    expect(mock.requests.at(-2)?.fault).toBe("status");
  });

  it("sends a default envelope, and Retry-After for a 429", async () => {
    mock.setFaults([{ route: "list", status: 429, retryAfter: 3, times: 1 }]);
    const res = await get();
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("3");
    expect(res.json()).toMatchObject({
      status_code: 429,
      http_error_type: "TOO_MANY_REQUESTS",
      error_code: "INJECTED_FAULT",
    });
  });

  it("sends a given body and headers, and applies before authentication", async () => {
    mock.setFaults([{ status: 500, body: { oops: true }, headers: { "X-Fault": "yes" } }]);
    const res = await get(list, { auth: false });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ oops: true });
    expect(res.headers["x-fault"]).toBe("yes");
  });

  it("is unlimited without `times`, and setFaults replaces and resets", async () => {
    mock.setFaults([{ status: 502 }]);
    expect((await get()).status).toBe(502);
    expect((await get()).status).toBe(502);
    mock.setFaults([{ status: 504, times: 1 }]);
    expect((await get()).status).toBe(504);
    expect((await get()).status).toBe(200);
  });
});

describe("matching", () => {
  const create = paths.execute("hubspot", "create_contact");
  const body = { email: "a@b.c" };
  it.each<[string, FaultRule, string, string, number]>([
    ["exact path", { path: create }, "POST", create, 418],
    ["one-segment glob", { path: "/api/v2/integration-schema/*/actions/*/execute" }, "POST", create, 418],
    ["glob not spanning segments", { path: "/api/v2/integration-schema/*/execute" }, "POST", create, 200],
    ["double-star glob", { path: "/api/**/execute" }, "POST", create, 418],
    [
      "decoded segments",
      { path: "/api/v2/integration-schema/hubspot/actions/files%2Fupload" },
      "GET",
      paths.schema("hubspot", "files/upload"),
      200,
    ],
    [
      "app and action selectors",
      { app: "hubspot", action: "files/upload" },
      "GET",
      paths.schema("hubspot", "files/upload"),
      418,
    ],
    ["route selector", { route: "execute" }, "POST", create, 418],
    ["route mismatch", { route: "schema" }, "POST", create, 200],
    ["method, any case", { method: "post" }, "POST", create, 418],
    ["method mismatch", { method: "GET" }, "POST", create, 200],
    ["app mismatch", { app: "google-sheets" }, "POST", create, 200],
    ["dashed slug", { app: "google-sheets", route: "list" }, "GET", paths.list("google-sheets"), 418],
  ])("%s", async (_name, selector, method, path, status) => {
    mock.setFaults([{ ...selector, status: 418 }]);
    const res = await call(agent, mock.url, method, path, method === "POST" ? { body } : {});
    expect(res.status).toBe(status);
  });

  it("uses the first matching rule with uses left", async () => {
    mock.setFaults([
      { route: "list", status: 500, times: 1 },
      { route: "list", status: 503, times: 1 },
    ]);
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([500, 503, 200]);
  });
});

describe("body and connection faults", () => {
  it("delays, then answers normally", async () => {
    mock.setFaults([{ route: "list", delayMs: 120, times: 1 }]);
    const [res, ms] = await timed(() => get());
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify(fixtureApps()["hubspot"]?.actions));
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(mock.requests.at(-1)?.fault).toBe("delay");
  });

  it("stalls the body half-way, then completes it exactly", async () => {
    mock.setFaults([
      { route: "list", stallBodyMs: 150, times: 1 },
      { route: "list", stallBodyMs: 5_000, times: 1 },
    ]);
    const [res, ms] = await timed(() => get());
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify(fixtureApps()["hubspot"]?.actions));
    expect(ms).toBeGreaterThanOrEqual(130);
    // A whole-call deadline shorter than the stall fails while reading the body, after the headers came.
    const signal = AbortSignal.timeout(300);
    const stalled = await request(`${mock.url}${list}`, { headers: KEY_HEADERS, dispatcher: agent, signal });
    expect(stalled.statusCode).toBe(200);
    await expect(stalled.body.text()).rejects.toThrow(/abort/i);
  });

  it("sends truncated JSON", async () => {
    mock.setFaults([{ route: "execute", malformed: true, times: 1 }]);
    const res = await call(agent, mock.url, "POST", paths.execute("hubspot", "get_contact"), { body: {} });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('{"node_status":"Success"')).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it("sends an HTML error page", async () => {
    mock.setFaults([{ html: true, status: 502, times: 1 }]);
    const res = await get();
    expect(res.status).toBe(502);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.text).toContain("<title>502 Bad Gateway</title>");
  });

  it("sends raw text, empty included", async () => {
    mock.setFaults([{ raw: "", times: 1 }]);
    const res = await get();
    expect([res.status, res.text]).toEqual([200, ""]);
  });

  it("drops the connection, and the next request is fine", async () => {
    mock.setFaults([{ destroy: true, times: 1 }]);
    await expect(get()).rejects.toThrow();
    expect((await get()).status).toBe(200);
    expect(mock.requests.at(-2)?.fault).toBe("destroy");
    expect(mock.requests.at(-2)?.status).toBeUndefined();
  });

  it("answers 200 with a failed node_status", async () => {
    mock.setFaults([{ route: "execute", nodeStatus: "Errored", times: 1 }]);
    const res = await call(agent, mock.url, "POST", paths.execute("hubspot", "get_contact"), { body: {} });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ node_status: "Errored", http_status: 500, data: { error: {} } });
  });

  it("close() ends a stalled answer promptly", async () => {
    const local = await startMock({ apps: fixtureApps(), faults: [{ stallBodyMs: 60_000 }] });
    const pending = request(`${local.url}${list}`, { headers: KEY_HEADERS }).then((res) => res.body.text());
    pending.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [, ms] = await timed(() => local.close());
    expect(ms).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
  });
});

describe("fault rules: validation and files", () => {
  const dir = mkdtempSync(join(tmpdir(), "mock-faults-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("loads an array or { faults } and returns copies", () => {
    const rules = [{ route: "list", status: 429, retryAfter: 1, times: 2 }];
    expect(loadMockFaults(file("a.json", JSON.stringify(rules)))).toEqual(rules);
    expect(loadMockFaults(file("b.json", JSON.stringify({ faults: rules })))).toEqual(rules);
  });

  it.each<[string, unknown, RegExp]>([
    ["not a list", { status: 500 }, /expected an array of fault rules/],
    ["a rule not an object", [5], /rule #1 is not an object/],
    [
      "unknown key with a suggestion",
      [{ status: 500, stalBodyMs: 5 }],
      /rule #1 has unknown key "stalBodyMs" \(did you mean "stallBodyMs"\?\)/,
    ],
    ["two effects", [{ html: true, destroy: true }], /combines html and destroy/],
    ["destroy with a status", [{ destroy: true, status: 500 }], /cannot also set a status/],
    ["no effect", [{ path: "/x" }], /has no effect/],
    ["bad times", [{ status: 500, times: 0 }], /"times" must be a positive integer/],
    ["bad status", [{ status: 99 }], /"status" must be an HTTP status/],
    ["bad path", [{ path: "api", status: 500 }], /"path" must be a string starting with "\/"/],
    ["bad route", [{ route: "run", status: 500 }], /"route" must be "list", "schema", "execute", "applications"/],
    ["body without status", [{ body: {}, delayMs: 1 }], /"body" goes with "status"/],
    ["every problem listed", [{ status: 1 }, { html: "yes" }], /rule #1[\s\S]*rule #2 "html" must be true/],
  ])("rejects %s", (_name, value, message) => {
    expect(() => parseFaults(value, "test")).toThrow(message);
    expect(() => mock.setFaults(value as FaultRule[])).toThrow(CodegenError);
  });

  it("names the file for bad JSON and missing files, as usage errors", () => {
    const bad = file("bad.json", "[{");
    expect(() => loadMockFaults(bad)).toThrow(new RegExp(`faults file ${bad} is not valid JSON`));
    expect(() => loadMockFaults(join(dir, "missing.json"))).toThrow(/cannot read faults file .*missing\.json/);
    try {
      loadMockFaults(bad);
    } catch (error) {
      expect((error as CodegenError).exitCode).toBe(2);
    }
  });
});

// pages() and all() of a generated client, compiled by tsc under the strictest settings: each scheme (cursor,
// page number, offset) against an independent server (test/pages/linkly.ts) and against the emulator, with the
// stop rules: the last page, an empty last page, a cursor or a page that repeats, maxPages and maxItems.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { compiledLinkly, ITEMS, LINKLY, linklyServer, PAGINATION, RESULTS, type LinklyServer } from "./linkly.js";

type Iter = (params?: object, options?: object) => AsyncIterable<Record<string, unknown>>;
type Paged = { pages: Iter; all: Iter };
type Client = {
  linkly: Record<string, Paged>;
  forAccount(id: string): { linkly: Record<string, Paged> };
  close(): Promise<void>;
};

let index: Record<string, unknown>;
let server: LinklyServer;
let mock: MockServer;

beforeAll(async () => {
  ({ index } = await compiledLinkly());
  server = await linklyServer();
  mock = await startMock({
    apps: LINKLY.apps,
    results: RESULTS.apps,
    pagination: { linkly: PAGINATION },
    pageItems: ITEMS,
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await mock?.close();
});

function client(url: string, options: object = {}): Client {
  const create = index["createRefold"] as (options: object) => Client;
  return create({ apiKey: "tk_pages", baseUrl: url, linkedAccountId: "acct-1", ...options });
}

async function collect(iterable: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

async function failure(iterable: AsyncIterable<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    for await (const _ of iterable) void _;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the iteration to fail");
}

const all23 = (prefix: string) => Array.from({ length: ITEMS }, (_, i) => `${prefix}${i + 1}`);

// [method, the id prefix of its items (numbers for rows), the params that set a page size of 5]
const SCHEMES = [
  ["listDocs", "d", { per_page: 5 }],
  ["listItems", "i", { limit: "5" }],
  ["listRows", "", { limit: "5" }],
] as const;

describe("against an independent Refold-compatible server", () => {
  it.each(SCHEMES)(
    "%s: all() yields every item exactly once, in order, one request per page",
    async (method, prefix, params) => {
      server.mode = "normal";
      const refold = client(server.url);
      const before = server.requests.length;
      const items = await collect(refold.linkly[method]!.all(params));
      expect(items.map((item) => String(item["id"]))).toEqual(all23(prefix));
      expect(server.requests.length - before).toBe(5);
      await refold.close();
    },
  );

  it("sends each scheme's parameter as the action's field takes it: a number, or text", async () => {
    server.mode = "normal";
    const refold = client(server.url);
    const sent = (action: string) =>
      server.requests
        .filter((r) => r.action === action)
        .slice(-5)
        .map((r) => r.body);
    await collect(refold.linkly["listDocs"]!.all({ per_page: 5 }));
    expect(sent("list_docs").map((body) => body["page"])).toEqual([1, 2, 3, 4, 5]);
    await collect(refold.linkly["listRows"]!.all({ limit: "5" }));
    expect(sent("list_rows").map((body) => body["offset"])).toEqual(["0", "5", "10", "15", "20"]);
    await collect(refold.linkly["listItems"]!.all({ limit: "5" }));
    expect(sent("list_items").map((body) => body["cursor"])).toEqual([undefined, "5", "10", "15", "20"]);
    expect(sent("list_items").every((body) => body["limit"] === "5")).toBe(true);
    await refold.close();
  });

  it.each(SCHEMES)("%s: an empty last page ends the iteration, without an error", async (method, prefix, params) => {
    server.mode = "empty-last";
    const refold = client(server.url);
    const before = server.requests.length;
    const pages = await collect(refold.linkly[method]!.pages(params));
    expect(pages).toHaveLength(5);
    // The sixth request was answered with no items (and a claim of more): it ends the walk.
    expect(server.requests.length - before).toBe(6);
    const items = await collect(refold.linkly[method]!.all(params));
    expect(items.map((item) => String(item["id"]))).toEqual(all23(prefix));
    await refold.close();
  });

  it.each(SCHEMES)(
    "%s: a page that repeats throws RefoldPaginationError instead of looping",
    async (method, _prefix, params) => {
      server.mode = "repeat";
      const refold = client(server.url);
      const before = server.requests.length;
      const error = await failure(refold.linkly[method]!.all(params));
      expect(error).toBeInstanceOf(index["RefoldPaginationError"] as new () => Error);
      expect(error).toBeInstanceOf(index["RefoldError"] as new () => Error);
      expect(error.name).toBe("RefoldPaginationError");
      expect(error["app"]).toBe("linkly");
      expect(error["page"]).toBe(2);
      expect(server.requests.length - before).toBe(2);
      expect(error.message).not.toContain("tk_pages");
      await refold.close();
    },
  );

  it("a repeating cursor is named as such", async () => {
    server.mode = "repeat";
    const refold = client(server.url);
    const error = await failure(refold.linkly["listItems"]!.pages({ limit: "5" }));
    expect(error.message).toMatch(/linkly\.list_items: the next cursor repeats one sent before .*"cursor".*\(page 2\)/);
    await refold.close();
  });

  it("maxPages and maxItems stop early; maxItems is exact for all()", async () => {
    server.mode = "normal";
    const refold = client(server.url);
    const before = server.requests.length;
    expect(await collect(refold.linkly["listItems"]!.pages({ limit: "5" }, { maxPages: 2 }))).toHaveLength(2);
    expect(server.requests.length - before).toBe(2);
    const some = await collect(refold.linkly["listRows"]!.all({ limit: "5" }, { maxItems: 7 }));
    expect(some.map((row) => row["id"])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.requests.length - before).toBe(4);
    expect(await collect(refold.linkly["listDocs"]!.all({}, { maxPages: 0 }))).toEqual([]);
    expect(server.requests.length - before).toBe(4);
    await refold.close();
  });

  it("each page goes through the client's normal path: a 429 mid-walk is retried after Retry-After, every item still once", async () => {
    server.mode = "normal";
    const refold = client(server.url);
    const before = server.requests.length;
    server.throttleNext(3);
    const items = await collect(refold.linkly["listItems"]!.all({ limit: "5" }));
    expect(items.map((item) => item["id"])).toEqual(all23("i"));
    expect(server.requests.length - before).toBe(6);
    await refold.close();
  });

  it("forAccount clients page too, sending their account with every page; a call's own linkedAccountId wins", async () => {
    server.mode = "normal";
    const refold = client(server.url);
    const before = server.requests.length;
    await collect(refold.forAccount("acct-9").linkly["listDocs"]!.all({ per_page: 10 }));
    expect(server.requests.slice(before).map((r) => r.account)).toEqual(["acct-9", "acct-9", "acct-9"]);
    await collect(refold.linkly["listDocs"]!.all({ per_page: 10 }, { linkedAccountId: "acct-7" }));
    expect(server.requests.slice(before + 3).map((r) => r.account)).toEqual(["acct-7", "acct-7", "acct-7"]);
    await refold.close();
  });

  it("starts from the page, offset or cursor the params give", async () => {
    server.mode = "normal";
    const refold = client(server.url);
    const docs = await collect(refold.linkly["listDocs"]!.all({ page: 4, per_page: 5 }));
    expect(docs.map((doc) => doc["id"])).toEqual(["d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23"]);
    const rows = await collect(refold.linkly["listRows"]!.all({ offset: "20", limit: "5" }));
    expect(rows.map((row) => row["id"])).toEqual([21, 22, 23]);
    const items = await collect(refold.linkly["listItems"]!.all({ cursor: "18", limit: "5" }));
    expect(items.map((item) => item["id"])).toEqual(["i19", "i20", "i21", "i22", "i23"]);
    await refold.close();
  });
});

describe("against the emulator", () => {
  it.each([
    ["listDocs", { per_page: 10 }, 3],
    ["listItems", { limit: "10" }, 3],
    ["listRows", { limit: "10" }, 3],
    ["listItems", {}, 3],
  ] as const)(
    "%s %j: every item exactly once over working cursors, page flags or totals",
    async (method, params, pages) => {
      const refold = client(mock.url);
      const before = mock.requests.length;
      const items = await collect(refold.linkly[method]!.all(params));
      const ids = items.map((item) => item["id"]);
      expect(new Set(ids).size).toBe(ITEMS);
      expect(ids).toHaveLength(ITEMS);
      expect(mock.requests.length - before).toBe(pages);
      await refold.close();
    },
  );

  it("answers pages of the recorded shape", async () => {
    const refold = client(mock.url);
    const pages = await collect(refold.linkly["listItems"]!.pages({ limit: "20" }));
    expect(pages.map((page) => page["next_cursor"])).toEqual(["cursor-20", undefined]);
    expect(pages[0]).toMatchObject({ data: { items: expect.any(Array) } });
    expect((pages[1]?.["data"] as { items: unknown[] }).items).toHaveLength(3);
    const docs = await collect(refold.linkly["listDocs"]!.pages({ per_page: 20 }));
    expect(docs.map((page) => page["hasNextPage"])).toEqual([true, false]);
    const rows = await collect(refold.linkly["listRows"]!.pages({ limit: "20" }));
    expect(rows.map((page) => page["total"])).toEqual([ITEMS, ITEMS]);
    await refold.close();
  });
});

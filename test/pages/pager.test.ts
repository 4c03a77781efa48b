// The runtime's pager (templates/runtime/pages.ts) over a fake method: the rules the servers' tests do not reach
// (a page count, a first page other than 1, items that are not an array, bad limits), and the sample project's
// HubSpot client (generated/) against the emulator, with the config's own declaration.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../generator/config/load.js";
import { startMock } from "../../generator/mock/index.js";
import {
  createRefold,
  RefoldPaginationError,
  RefoldValidationError,
  RefoldConfigError,
} from "../../generated/index.js";
import { withPages, type PageScheme } from "../../templates/runtime/pages.js";

type Call = ((params?: object) => Promise<unknown>) & { pages?: unknown; all?: unknown };
type Walker = (params?: object, options?: object) => AsyncGenerator<unknown>;

/** A method answering from `pages(params)`, with pages()/all() attached as a generated module attaches them. */
function fake(
  scheme: PageScheme,
  answer: (params: Record<string, unknown>) => unknown,
): { call: Call; sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  const call: Call = (params = {}) => {
    sent.push({ ...(params as Record<string, unknown>) });
    return Promise.resolve(answer(params as Record<string, unknown>));
  };
  withPages({ list: JSON.stringify(scheme) })("list", call, "app", "list_x");
  return { call, sent };
}

async function drain(walker: AsyncGenerator<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of walker) out.push(value);
  return out;
}

describe("the pager", () => {
  it("a page count with pages numbered from 0 stops after the last counted page, even when it is full", async () => {
    const { call, sent } = fake(
      { scheme: "page", param: "p", items: ["x"], count: ["pages"], start: 0, text: true },
      (params) => ({
        x: [Number(params["p"]) * 2, Number(params["p"]) * 2 + 1],
        pages: "3",
      }),
    );
    expect(await drain((call.all as Walker)())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sent.map((params) => params["p"])).toEqual(["0", "1", "2"]);
  });

  it("a cursor that is absent, null or empty ends the walk; a number is sent back as a number", async () => {
    for (const last of [undefined, null, ""]) {
      const { call, sent } = fake(
        { scheme: "cursor", param: "c", items: ["items"], next: ["meta", "next"] },
        (params) =>
          params["c"] === undefined
            ? { items: [1], meta: { next: 7 } }
            : { items: [2], meta: last === undefined ? {} : { next: last } },
      );
      expect(await drain((call.all as Walker)())).toEqual([1, 2]);
      expect(sent).toEqual([{}, { c: 7 }]);
    }
  });

  it("a cursor scheme with hasNext stops when the flag is not true, though the answer still holds a cursor", async () => {
    const { call, sent } = fake(
      { scheme: "cursor", param: "c", items: ["data"], next: ["next_cursor"], hasNext: ["has_more"] },
      (params) =>
        params["c"] === undefined
          ? { data: [1], next_cursor: "a", has_more: true }
          : { data: [2], next_cursor: "b", has_more: false },
    );
    expect(await drain((call.all as Walker)())).toEqual([1, 2]);
    expect(sent).toEqual([{}, { c: "a" }]);
  });

  it("items that are not an array, or a cursor that is an object, throw RefoldPaginationError", async () => {
    const bad = fake({ scheme: "offset", param: "o", items: ["rows"] }, () => ({ rows: { a: 1 } }));
    await expect(drain((bad.call.pages as Walker)())).rejects.toThrow(
      /app\.list_x: the items at "rows" are not an array \(page 1\)/,
    );
    const cursor = fake({ scheme: "cursor", param: "c", items: ["i"], next: ["n"] }, () => ({
      i: [1],
      n: { deep: 1 },
    }));
    await expect(drain((cursor.call.all as Walker)())).rejects.toThrow(/neither a string nor a number/);
  });

  it("refuses a maxPages or maxItems that is not a whole number of at least 0, sending nothing", async () => {
    const { call, sent } = fake({ scheme: "offset", param: "o", items: ["rows"] }, () => ({ rows: [1] }));
    await expect(drain((call.pages as Walker)({}, { maxPages: -1 }))).rejects.toThrow(
      /maxPages must be a whole number/,
    );
    await expect(drain((call.all as Walker)({}, { maxItems: 1.5 }))).rejects.toThrow(/maxItems must be a whole number/);
    expect(sent).toEqual([]);
  });

  it("an offset walk without a total ends on the first empty page", async () => {
    const { call, sent } = fake({ scheme: "offset", param: "o", items: ["rows"] }, (params) => ({
      rows: Number(params["o"]) < 4 ? [Number(params["o"]), Number(params["o"]) + 1] : [],
    }));
    expect(await drain((call.all as Walker)())).toEqual([0, 1, 2, 3]);
    expect(sent.map((params) => params["o"])).toEqual([0, 2, 4]);
  });
});

describe("the sample project's HubSpot get_contact against the emulator", () => {
  it("iterates every contact over the emulator's cursors, typed by the recorded result, for forAccount clients too", async () => {
    const config = await resolveConfig(
      JSON.parse(await readFile("refold.codegen.json", "utf8")),
      `${process.cwd()}/refold.codegen.json`,
    );
    const hubspot = config.apps.find((app) => app.slug === "hubspot");
    const lock = JSON.parse(await readFile("refold.lock.json", "utf8")) as { apps: Record<string, never> };
    const results = JSON.parse(await readFile("refold.results.json", "utf8")) as { apps: Record<string, never> };
    const mock = await startMock({
      apps: lock.apps,
      results: results.apps,
      pagination: { hubspot: hubspot?.pagination ?? {} },
      pageItems: 12,
    });
    const refold = createRefold({ apiKey: "tk_x", baseUrl: mock.url });
    try {
      const emails: string[] = [];
      for await (const contact of refold.forAccount("demo-user-1").hubspot.getContact.all({ limit: "5" })) {
        emails.push(contact.properties.email);
        expect(contact.id).toMatch(/^item-\d+$/);
      }
      expect(emails).toHaveLength(12);
      const sent = mock.requests.map((request) => (request.body ?? {}) as Record<string, unknown>);
      expect(sent.map((body) => body["after"])).toEqual([undefined, "cursor-5", "cursor-10"]);
      const pages: number[] = [];
      for await (const page of refold
        .forAccount("demo-user-1")
        .hubspot.getContact.pages({ limit: "5" }, { maxItems: 6 }))
        pages.push(page.results.length);
      expect(pages).toEqual([5, 5]);
      // A cursor the emulator never gave is refused as Refold refuses a bad parameter.
      const walk = refold.forAccount("demo-user-1").hubspot.getContact.all({ after: "forged" });
      await expect(walk.next()).rejects.toBeInstanceOf(RefoldValidationError);
      await expect(drain(refold.hubspot.getContact.all({}, { maxPages: 1.5 }))).rejects.toBeInstanceOf(
        RefoldConfigError,
      );
      expect(RefoldPaginationError.name).toBe("RefoldPaginationError");
    } finally {
      await refold.close();
      await mock.close();
    }
  });
});

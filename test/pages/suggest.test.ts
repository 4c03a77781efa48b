// Suggestions: the scheme an action's params and recorded shape point to, printed by `record` and `list --json`
// as the config entry to add, never applied. The entry, once pasted, is one the generator accepts.
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeParameters } from "../../generator/model/fields.js";
import { suggestPagination } from "../../generator/model/suggest.js";
import { inferShape } from "../../generator/results/shape.js";
import {
  catalog,
  cleanup,
  closedPort,
  configFor,
  parseJson,
  pick,
  project,
  runCli,
  writeLockFrom,
} from "../cli/cli-helpers.js";

afterAll(cleanup);

const params = (...names: string[]) =>
  normalizeParameters(
    names.map((name) => ({ name, label: name, required: false, type: "text" })),
    { app: "a", action: "b" },
  ).fields;

describe("suggestPagination", () => {
  const cases: [string, string[], unknown, unknown, string[]][] = [
    [
      "a cursor out of the recorded shape",
      ["cursor", "limit"],
      { data: [{ id: 1 }], response_metadata: { next_cursor: "x" } },
      { cursor: { param: "cursor", next: "response_metadata.next_cursor" }, items: "data" },
      [],
    ],
    [
      "HubSpot's after, its next cursor guessed",
      ["limit", "after"],
      { results: [{ id: "1" }], paging: {} },
      { cursor: { param: "after", next: "paging.next.after" }, items: "results" },
      ['cursor.next "paging.next.after" is a guess'],
    ],
    [
      "a page number and a has-more flag",
      ["page", "per_page"],
      { docs: [{ id: "d" }], has_more: true },
      { page: { param: "page", hasNext: "has_more" }, items: "docs" },
      [],
    ],
    [
      "a page number and a page count",
      ["page"],
      { items: [1], meta: { total_pages: 3 } },
      { page: { param: "page", count: "meta.total_pages" }, items: "items" },
      [],
    ],
    [
      "an offset, a limit and a total",
      ["offset", "limit"],
      { rows: [{ id: 1 }], total: 3 },
      { offset: { param: "offset", limit: "limit", total: "total" }, items: "rows" },
      [],
    ],
  ];
  it.each(cases)("%s", (_name, names, sample, entry, notes) => {
    const suggestion = suggestPagination(params(...names), inferShape(sample));
    expect(suggestion?.entry).toEqual(entry);
    expect(suggestion?.notes.length).toBe(notes.length);
    notes.forEach((note, i) => expect(suggestion?.notes[i]).toContain(note));
  });

  it("suggests nothing for params that page nothing, or when the shape contradicts every guess", () => {
    expect(suggestPagination(params("email", "name"), inferShape({ results: [] }))).toBeUndefined();
    expect(suggestPagination(params("after"), inferShape({ count: 1 }))).toBeUndefined();
  });
});

describe("record and list --json", () => {
  it("record prints the entry to add for an undeclared paginated read and leaves the config alone; list --json says declared or suggested", async () => {
    const dir = await project(configFor(`http://127.0.0.1:${await closedPort()}`, { apps: ["hubspot"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    const configBefore = await readFile(join(dir, "refold.codegen.json"), "utf8");
    const answer = join(process.cwd(), "test", "fixtures", "answers", "hubspot", "get_contact.v3-reference.json");
    const recorded = await runCli(["record", "hubspot", "get_contact", "--from", answer], { cwd: dir });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain("hubspot get_contact looks paginated");
    expect(recorded.stdout).toContain('"after"');
    expect(recorded.stdout).toContain('"next": "paging.next.after"');
    expect(recorded.stdout).toContain('"items": "results"');
    expect(await readFile(join(dir, "refold.codegen.json"), "utf8")).toBe(configBefore);

    const listed = parseJson<{ actions: { actionId: string; pagination?: unknown }[] }>(
      await runCli(["list", "hubspot", "--json", "--offline"], { cwd: dir }),
    );
    const advice = Object.fromEntries(
      listed.actions.filter((a) => a.pagination !== undefined).map((a) => [a.actionId, a.pagination]),
    );
    expect(Object.keys(advice)).toEqual(["get_contact"]);
    const suggested = advice["get_contact"] as { suggested: { config: { pagination: unknown } } };
    expect(suggested.suggested.config.pagination).toEqual({
      hubspot: { get_contact: { cursor: { param: "after", next: "paging.next.after" }, items: "results" } },
    });

    // Pasted into the config, the suggestion generates pages() and all(), and list then says it is declared.
    const config = JSON.parse(configBefore) as Record<string, unknown>;
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(join(dir, "refold.codegen.json"), JSON.stringify({ ...config, ...suggested.suggested.config })),
    );
    const generated = await runCli(["generate", "--offline"], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    expect(await readFile(join(dir, "generated", "hubspot.ts"), "utf8")).toContain(
      "all(params?: HubspotGetContactParams, options?: PageOptions)",
    );
    const again = parseJson<{ actions: { actionId: string; pagination?: unknown }[] }>(
      await runCli(["list", "hubspot", "--json", "--offline"], { cwd: dir }),
    );
    expect(again.actions.find((a) => a.actionId === "get_contact")?.pagination).toEqual({ declared: true });
  });
});

// An app the sample project does not have, "linkly", with one action per pagination scheme: its catalog, its
// recorded result shapes, its declarations, its generated client compiled by tsc under the strictest settings,
// and an independent Refold-compatible server (plain node:http, written from refold-api.md, not the emulator).
import { writeFile, mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { PaginationConfig } from "../../generator/config/types.js";
import { render } from "../../generator/pipeline/render.js";
import { inferShape, mergeShapes } from "../../generator/results/shape.js";
import type { ResultsFile } from "../../generator/results/file.js";
import { lockFromCatalog, tempProject, type Catalog } from "../helpers/project.js";
import { compile } from "../helpers/tsc.js";

const text = (name: string) => ({ name, label: name, required: false, type: "text" });

export const LINKLY: Catalog = {
  apps: {
    linkly: {
      actions: [
        { name: "Get Doc", action_id: "get_doc", description: "One doc." },
        { name: "List Docs", action_id: "list_docs", description: "Docs, a page number at a time." },
        { name: "List Items", action_id: "list_items", description: "Items, a cursor at a time." },
        { name: "List Rows", action_id: "list_rows", description: "Rows, an offset at a time." },
      ],
      parameters: {
        get_doc: [{ name: "id", label: "Id", required: true, type: "text" }],
        list_docs: [
          { name: "page", label: "Page", required: false, type: "number" },
          { name: "per_page", label: "Per page", required: false, type: "number" },
        ],
        list_items: [text("cursor"), text("limit")],
        list_rows: [text("offset"), text("limit")],
      },
    },
  },
};

export const PAGINATION: Record<string, PaginationConfig> = {
  list_docs: { page: { param: "page", hasNext: "hasNextPage" }, items: "docs" },
  list_items: { cursor: { param: "cursor", next: "next_cursor" }, items: "data.items" },
  list_rows: { offset: { param: "offset", limit: "limit", total: "total" }, items: "rows" },
};

export const RESULTS: ResultsFile = {
  resultsVersion: 1,
  apps: {
    linkly: {
      list_docs: { samples: 1, schema: inferShape({ docs: [{ id: "d", title: "t" }], hasNextPage: true, page: 1 }) },
      list_items: {
        samples: 2,
        schema: mergeShapes(
          inferShape({ data: { items: [{ id: "i", name: "n" }] }, next_cursor: "c" }),
          inferShape({ data: { items: [] }, next_cursor: null }),
        ),
      },
      list_rows: { samples: 1, schema: inferShape({ rows: [{ id: 1, cells: ["a"] }], total: 3 }) },
    },
  },
};

/** A consumer of the generated types: compiles only if pages() and all() are typed by the recorded shapes. */
const CONSUMER = `
import { createRefold, RefoldPaginationError, type LinklyListItemsResult } from "../gen/index.js";

const refold = createRefold({ apiKey: "k" });

export async function check(): Promise<string[]> {
  const seen: string[] = [];
  for await (const doc of refold.linkly.listDocs.all({ per_page: 5 }, { maxItems: 3, timeoutMs: 100 })) {
    const title: string = doc.title;
    seen.push(title);
  }
  for await (const row of refold.linkly.listRows.all()) {
    const id: number = row.id;
    const cells: string[] = row.cells;
    seen.push(String(id), ...cells);
  }
  for await (const item of refold.forAccount("acct").linkly.listItems.all({ limit: "2" }, { maxPages: 1, linkedAccountId: "x" })) {
    const name: string = item.name;
    // @ts-expect-error the recorded item has no such field
    seen.push(item.nope);
    seen.push(name);
  }
  for await (const page of refold.linkly.listItems.pages({}, { signal: AbortSignal.timeout(10) })) {
    const typed: LinklyListItemsResult = page;
    const next: string | null = page.next_cursor;
    seen.push(String(next), String(typed.data.items.length));
  }
  // @ts-expect-error maxPages is a number
  void refold.linkly.listDocs.pages({}, { maxPages: "2" });
  // @ts-expect-error the page param is a number
  void refold.linkly.listDocs.all({ page: "2" });
  // @ts-expect-error an action without declared pagination has no pages()
  void refold.linkly.getDoc.pages;
  const error: unknown = new Error();
  if (error instanceof RefoldPaginationError) seen.push(String(error.page), error.app, error.action);
  return seen;
}
`;

/** Renders linkly into a temporary project, compiles it and the consumer with tsc (strict), and imports the JS. */
export async function compiledLinkly(): Promise<{ dir: string; index: Record<string, unknown> }> {
  const dir = await tempProject({ apps: ["linkly"] });
  const lock = lockFromCatalog(LINKLY);
  const emit = { schemas: false, openapi: false, mcp: false };
  const { files, diagnostics } = await render(
    lock,
    { apps: [{ slug: "linkly", kinds: {}, pagination: PAGINATION }], emit },
    RESULTS,
  );
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`render failed: ${JSON.stringify(errors)}`);
  for (const [path, source] of files) {
    await mkdir(dirname(join(dir, "gen", path)), { recursive: true });
    await writeFile(join(dir, "gen", path), source);
  }
  await writeFile(join(dir, "src", "consumer.ts"), CONSUMER);
  await compile(dir, ["gen/**/*.ts", "src/**/*.ts"], "NodeNext", "out");
  const index = (await import(pathToFileURL(join(dir, "out", "gen", "index.js")).href)) as Record<string, unknown>;
  return { dir, index };
}

/** How the independent server misbehaves: not at all, by repeating itself, or with an empty page at the end. */
export type Mode = "normal" | "repeat" | "empty-last";

export interface LinklyServer {
  url: string;
  /** Every execute body received, with its action and linked account. */
  requests: { action: string; account: string | undefined; body: Record<string, unknown> }[];
  mode: Mode;
  /** Answer the n-th execute (1-based, counted from now) with a 429 and `Retry-After: 0`. */
  throttleNext(n: number): void;
  close(): Promise<void>;
}

export const ITEMS = 23;

/** A Refold-compatible server for linkly, each action paging 23 items its own way (page size 5 unless asked). */
export async function linklyServer(): Promise<LinklyServer> {
  let throttleAt = 0;
  let count = 0;
  const state: LinklyServer = {
    url: "",
    requests: [],
    mode: "normal",
    throttleNext: (n) => {
      throttleAt = count + n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const match = /^\/api\/v2\/integration-schema\/linkly\/actions\/([a-z_]+)\/execute$/.exec(req.url ?? "");
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || match === null || !req.headers["x-api-key"])
        return reply(404, { status_code: 404, message: "not found" });
      const body = JSON.parse(raw || "{}") as Record<string, unknown>;
      const action = match[1] as string;
      const account = req.headers["linked_account_id"] as string | undefined;
      state.requests.push({ action, account, body });
      if (++count === throttleAt)
        return reply(
          429,
          { status_code: 429, http_error_type: "TOO_MANY_REQUESTS", message: "slow down" },
          { "retry-after": "0" },
        );
      reply(200, { node_status: "Success", data: answer(action, body, state.mode), http_status: 200 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

const ids = (from: number, to: number) =>
  Array.from({ length: Math.max(0, Math.min(to, ITEMS) - from) }, (_, i) => from + i + 1);

function answer(action: string, body: Record<string, unknown>, mode: Mode): unknown {
  if (action === "list_docs") {
    const size = typeof body["per_page"] === "number" ? body["per_page"] : 5;
    const page = mode === "repeat" ? 1 : (body["page"] as number);
    const docs = ids((page - 1) * size, page * size).map((id) => ({ id: `d${id}`, title: `doc ${id}` }));
    return { docs, hasNextPage: mode === "empty-last" ? true : page * size < ITEMS, page };
  }
  if (action === "list_rows") {
    const size = Number(body["limit"] ?? 5);
    const offset = mode === "repeat" ? 0 : Number(body["offset"]);
    const rows = ids(offset, offset + size).map((id) => ({ id, cells: [`r${id}`] }));
    return { rows, total: mode === "empty-last" ? ITEMS + size : ITEMS };
  }
  // list_items: the cursor is the next item's index as text; "end" follows the last page in empty-last mode.
  const size = Number(body["limit"] ?? 5);
  const cursor = body["cursor"];
  if (cursor === "end") return { data: { items: [] }, next_cursor: "after-end" };
  // Repeating, it still moves through the items, but always names the same next cursor.
  const from = mode === "repeat" ? (cursor === undefined ? 0 : size) : cursor === undefined ? 0 : Number(cursor);
  const items = ids(from, from + size).map((id) => ({ id: `i${id}`, name: `item ${id}` }));
  const more = from + size < ITEMS;
  const next = mode === "repeat" ? "same" : more ? String(from + size) : mode === "empty-last" ? "end" : null;
  return { data: { items }, next_cursor: next };
}

// The MCP server's optional `maxPages` argument on a declared paginated action's tool (examples/mcp declares
// HubSpot's get_contact), driven by the official MCP client against the emulator paging that action.
import { readFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { createRefold } from "../../examples/mcp/generated/index.js";
import { createMcpServer } from "../../examples/mcp/generated/mcp.js";
import { sampleCatalog } from "../helpers/project.js";

const KEY = "tk_mcp_pages_0123456789";
let mock: MockServer;

beforeAll(async () => {
  const { apps } = await sampleCatalog();
  const results = JSON.parse(await readFile("refold.results.json", "utf8")) as { apps: Record<string, never> };
  const config = JSON.parse(await readFile("examples/mcp/refold.codegen.json", "utf8")) as {
    pagination: Record<string, never>;
  };
  mock = await startMock({ apps, apiKey: KEY, results: results.apps, pagination: config.pagination, pageItems: 12 });
});
afterAll(() => mock.close());

async function connected() {
  const refold = createRefold({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 });
  const server = createMcpServer({ client: refold.forAccount("acct-1") });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: "test", version: "1.0.0" });
  await mcp.connect(clientSide);
  const call = (args: Record<string, unknown>) =>
    mcp.callTool({ name: "hubspot_get_contact", arguments: args }) as Promise<CallToolResult>;
  return { mcp, call, close: async () => (await mcp.close(), await refold.close()) };
}

describe("a declared paginated action's MCP tool", () => {
  it("lists maxPages as an optional integer argument, only on declared tools", async () => {
    const { mcp, close } = await connected();
    try {
      const { tools } = await mcp.listTools();
      const schema = tools.find((tool) => tool.name === "hubspot_get_contact")?.inputSchema as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      expect(schema.properties["maxPages"]).toMatchObject({ type: "integer", minimum: 1 });
      expect(schema.required ?? []).not.toContain("maxPages");
      const withMaxPages = tools.filter((tool) =>
        Object.hasOwn((tool.inputSchema as { properties?: object }).properties ?? {}, "maxPages"),
      );
      expect(withMaxPages.map((tool) => tool.name)).toEqual(["hubspot_get_contact"]);
    } finally {
      await close();
    }
  });

  it("walks up to maxPages pages and answers the last page with every page's items, fitting the output schema", async () => {
    const { call, close } = await connected();
    try {
      const before = mock.requests.length;
      const result = await call({ limit: "5", maxPages: 2 });
      expect(result.isError).toBeFalsy();
      const data = result.structuredContent as { results: { id: string }[]; paging: { next?: { after: string } } };
      expect(data.results.map((contact) => contact.id)).toEqual([
        "item-1",
        "item-2",
        "item-3",
        "item-4",
        "item-5",
        "item-6",
        "item-7",
        "item-8",
        "item-9",
        "item-10",
      ]);
      expect(data.paging.next?.after).toBe("cursor-10");
      // maxPages itself is never sent to Refold.
      expect(mock.requests.slice(before).map((request) => request.body)).toEqual([
        { limit: "5" },
        { limit: "5", after: "cursor-5" },
      ]);
      const one = await call({ limit: "5" });
      expect((one.structuredContent as { results: unknown[] }).results).toHaveLength(5);
      const everything = await call({ limit: "5", maxPages: 10 });
      expect((everything.structuredContent as { results: unknown[] }).results).toHaveLength(12);
    } finally {
      await close();
    }
  });

  it("refuses a maxPages that is not a whole number of at least 1, sending nothing", async () => {
    const { call, close } = await connected();
    try {
      const before = mock.requests.length;
      for (const maxPages of [0, 1.5, "2"]) {
        const result = await call({ maxPages });
        expect(result.isError).toBe(true);
        expect(JSON.stringify(result.content)).toContain(
          "maxPages must be a whole number of at least 1; nothing was sent",
        );
      }
      expect(mock.requests.length).toBe(before);
    } finally {
      await close();
    }
  });
});

// The generated MCP server, driven by the official MCP client over the in-memory transport, against the
// emulator: listing, calls, bad arguments (nothing sent), failed actions, read-only, filters, the dynamic
// mode, and hostile action ids.
import { readFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { buildModel } from "../../generator/model/build.js";
import { mcpTools } from "../../generator/schemas/mcp.js";
import { createRefold } from "../../examples/mcp/generated/index.js";
import { createMcpServer } from "../../examples/mcp/generated/mcp.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { lockFromCatalog, sampleCatalog } from "../helpers/project.js";

const KEY = "tk_mcp_0123456789abcdef";
let mock: MockServer;
const refold = () => createRefold({ apiKey: KEY, baseUrl: mock.url, maxRetries: 0 });

beforeAll(async () => {
  const { apps } = await sampleCatalog();
  const results = JSON.parse(await readFile("refold.results.json", "utf8")) as { apps: Record<string, never> };
  mock = await startMock({ apps, apiKey: KEY, results: results.apps, connections: { "no-jira": { jira: "missing" } } });
});
afterAll(() => mock.close());

type Refold = ReturnType<typeof createRefold>;

/** An MCP client connected to a server made with these options over `client` (by default one account's). */
async function connect(
  options: Omit<Parameters<typeof createMcpServer>[0], "client"> = {},
  account = "acct-1",
  client: Refold = refold(),
  target: (client: Refold) => Parameters<typeof createMcpServer>[0]["client"] = (made) => made.forAccount(account),
) {
  const server = createMcpServer({ client: target(client), ...options });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const mcp = new Client({ name: "test", version: "1.0.0" });
  await mcp.connect(clientSide);
  return {
    mcp,
    call: (name: string, args: Record<string, unknown> = {}) =>
      mcp.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: async () => {
      await mcp.close();
      await client.close();
    },
  };
}

const text = (result: CallToolResult) => result.content.map((part) => (part.type === "text" ? part.text : "")).join("");

describe("the MCP server", () => {
  it("lists one tool per action, named <slug>_<action_id>, with the action's JSON Schema, hints and titles", async () => {
    const { mcp, close } = await connect();
    try {
      const { tools } = await mcp.listTools();
      const { apps } = await sampleCatalog();
      expect(tools.length).toBe(apps["hubspot"]!.actions.length + apps["jira"]!.actions.length);
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      const create = byName.get("hubspot_create_contact");
      expect(create).toMatchObject({ title: "Create Contact", description: "Creating a contact in Hubspot" });
      expect(create?.inputSchema).toMatchObject({ type: "object", required: ["email"], additionalProperties: false });
      expect(create?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
      expect(byName.get("hubspot_get_contact")?.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
      });
      expect(byName.get("hubspot_delete_contact")?.annotations).toMatchObject({
        destructiveHint: true,
        idempotentHint: true,
      });
      expect(byName.get("hubspot_httprequest")?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
      });
      // An output schema only where a result shape was recorded.
      expect(
        tools
          .filter((tool) => tool.outputSchema !== undefined)
          .map((tool) => tool.name)
          .sort(),
      ).toEqual(["hubspot_create_contact", "hubspot_get_contact"]);
    } finally {
      await close();
    }
  });

  it("runs calls through the typed client: JSON text, and structured content valid against the output schema", async () => {
    const { call, close } = await connect();
    try {
      const shaped = await call("hubspot_get_contact", { limit: "1" });
      expect(shaped.isError).toBeFalsy();
      expect(shaped.structuredContent).toMatchObject({
        results: [{ properties: { email: "user@example.com" } }],
        paging: {},
      });
      expect(JSON.parse(text(shaped))).toEqual(shaped.structuredContent);
      const plain = await call("jira_create_issue", { project_key: "P", summary: "s", issue_type: "Bug" });
      expect(JSON.parse(text(plain))).toMatchObject({
        action: "jira.create_issue",
        account: "acct-1",
        echo: { summary: "s" },
      });
      expect(plain.structuredContent).toBeUndefined();
    } finally {
      await close();
    }
  });

  it("answers bad arguments with an error result naming the field, and sends nothing", async () => {
    const { call, close } = await connect();
    try {
      const before = mock.requests.length;
      const missing = await call("jira_create_issue", { summary: "s" });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toMatch(
        /invalid arguments for jira_create_issue: parameter "project_key" is required; nothing was sent/,
      );
      const typo = await call("hubspot_create_contact", { email: "a@b.c", emial: "x" });
      expect(text(typo)).toMatch(/"emial" is not a parameter/);
      expect(mock.requests.length).toBe(before);
      expect(text(await call("no_such_tool"))).toMatch(/unknown tool "no_such_tool"/);
    } finally {
      await close();
    }
  });

  it("answers a failed action with an error result holding Refold's message and status, never the key", async () => {
    const { call, close } = await connect({}, "no-jira");
    try {
      const notConnected = await call("jira_get_current_user");
      expect(notConnected.isError).toBe(true);
      expect(text(notConnected)).toMatch(
        /jira get_current_user failed \(HTTP 200\): .*app answered HTTP 401.*has not connected jira/,
      );
      mock.setFaults([{ route: "execute", app: "hubspot", status: 500, times: 1 }]);
      const failed = await call("hubspot_get_contact_by_id", { contact_id: "1" });
      expect(text(failed)).toMatch(/hubspot get_contact_by_id failed \(HTTP 500\)/);
      for (const result of [notConnected, failed]) expect(JSON.stringify(result)).not.toContain(KEY);
    } finally {
      mock.setFaults([]);
      await close();
    }
  });

  it("says when a result drifted from its recorded shape, and cuts long results with a note", async () => {
    const { call, close } = await connect({ maxResultBytes: 200 });
    try {
      mock.setAnswer("hubspot", "get_contact", { data: { results: "not a list", paging: {} } });
      const drifted = await call("hubspot_get_contact");
      expect(drifted.isError).toBe(true);
      expect(text(drifted)).toMatch(/does not fit its recorded shape at \$\.results \(expected array, got string\)/);
      mock.setAnswer("hubspot", "get_contact", undefined);
      const long = await call("jira_search_issues", { jql: "x".repeat(500) });
      expect(text(long)).toMatch(/\n\[cut: the result is \d+ bytes, past this server's maxResultBytes \(200\)/);
      expect(Buffer.byteLength(text(long).split("\n[cut")[0] ?? "")).toBeLessThanOrEqual(200);
    } finally {
      mock.setAnswer("hubspot", "get_contact", undefined);
      await close();
    }
  });

  it("hides write tools and refuses them by name when read-only; a read-only client implies it", async () => {
    const readOnlyClient = () =>
      createRefold({ apiKey: KEY, baseUrl: mock.url, readOnly: true, linkedAccountId: "acct-1" });
    for (const make of [
      () => connect({ readOnly: true }),
      () => connect({}, "acct-1", readOnlyClient(), (made) => made),
    ]) {
      const { mcp, call, close } = await make();
      try {
        const { tools } = await mcp.listTools();
        expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
        expect(tools.map((tool) => tool.name)).toContain("hubspot_get_contact");
        const before = mock.requests.length;
        const refused = await call("hubspot_delete_contact", { contact_id: "1" });
        expect(refused.isError).toBe(true);
        expect(text(refused)).toMatch(/read-only: nothing was sent/);
        expect(mock.requests.length).toBe(before);
      } finally {
        await close();
      }
    }
  });

  it("filters tools by app, action or tool name (with *), include then exclude", async () => {
    const names = async (options: Parameters<typeof connect>[0]) => {
      const { mcp, close } = await connect(options);
      try {
        return (await mcp.listTools()).tools.map((tool) => tool.name);
      } finally {
        await close();
      }
    };
    expect((await names({ include: { apps: ["jira"] } })).every((name) => name.startsWith("jira_"))).toBe(true);
    expect(await names({ include: { actions: ["get_contact", "get_issue"] } })).toEqual([
      "hubspot_get_contact",
      "jira_get_issue",
    ]);
    const noDeletes = await names({ include: { tools: ["jira_*"] }, exclude: { tools: ["*_delete_*"] } });
    expect(noDeletes).toContain("jira_create_issue");
    expect(noDeletes).not.toContain("jira_delete_issue");
  });

  it("in the dynamic mode offers three tools: list the actions, describe one, execute one", async () => {
    const { mcp, call, close } = await connect({ mode: "dynamic" });
    try {
      expect((await mcp.listTools()).tools.map((tool) => tool.name)).toEqual([
        "list_actions",
        "describe_action",
        "execute_action",
      ]);
      const listed = JSON.parse(text(await call("list_actions", { app: "jira", query: "issue" }))) as {
        tool: string;
      }[];
      expect(listed.map((entry) => entry.tool)).toContain("jira_create_issue");
      expect(listed.every((entry) => entry.tool.startsWith("jira_"))).toBe(true);
      const described = JSON.parse(text(await call("describe_action", { tool: "jira_create_issue" }))) as {
        inputSchema: { required: string[] };
      };
      expect(described.inputSchema.required).toEqual(expect.arrayContaining(["project_key", "summary", "issue_type"]));
      const executed = await call("execute_action", { tool: "jira_get_issue", arguments: { issue_key: "P-1" } });
      expect(JSON.parse(text(executed))).toMatchObject({ action: "jira.get_issue", echo: { issue_key: "P-1" } });
      const bad = await call("execute_action", { tool: "jira_get_issue", arguments: {} });
      expect(text(bad)).toMatch(/"issue_key" is required/);
    } finally {
      await close();
    }
  });
});

describe("MCP tool names", () => {
  it("are valid, unique and at most 64 characters, whatever the action ids", () => {
    const lock = lockFromCatalog(hostileCatalog);
    const { model } = buildModel(
      lock,
      Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
    );
    const tools = mcpTools(model);
    expect(tools.length).toBe(model.apps.reduce((sum, app) => sum + app.actions.length, 0));
    for (const tool of tools) expect(tool.name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    // Stable: the same model gives the same names.
    expect(mcpTools(model).map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
  });
});

describe("the MCP example (examples/mcp)", () => {
  it("is fresh, and compiles strictly with its stdio and Streamable HTTP recipes", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const run = promisify(execFile);
    const { runCli } = await import("../cli/cli-helpers.js");
    const check = await runCli(["generate", "--check", "--config", "examples/mcp/refold.codegen.json"], { cwd: "." });
    expect(check.code, check.stderr).toBe(0);
    await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "examples/mcp/tsconfig.json"]);
  }, 120_000);
});

describe("generate with emit.mcp", () => {
  it("warns, naming the install, when the project does not depend on the MCP SDK at run time (the MCP server is optional)", async () => {
    const { configFor, project, runCli, writeLockFrom, catalog, pick, cleanup } = await import("../cli/cli-helpers.js");
    const { writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    try {
      const dir = await project(configFor("http://127.0.0.1:9", { apps: ["jira"], emit: { mcp: true } }));
      await writeLockFrom(dir, pick(await catalog(), "jira"));
      const manifest = {
        type: "module",
        dependencies: { undici: "^7" },
        devDependencies: { "@modelcontextprotocol/sdk": "^1" },
      };
      await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
      const result = await runCli(["generate", "--offline"], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        /warning: .*imports @modelcontextprotocol\/sdk at run time.*only in devDependencies[\s\S]*npm install @modelcontextprotocol\/sdk@/,
      );
      expect(await readFile(join(dir, "generated", "mcp.ts"), "utf8")).toContain("export function createMcpServer");
    } finally {
      await cleanup();
    }
  }, 60_000);
});

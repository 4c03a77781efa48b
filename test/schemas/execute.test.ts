// The README's recipe: hand the committed tool definitions to a model, then execute the tool it picks,
// through the generated client (`refold[property][method]`) or RefoldClient.run, against the emulator.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRefold, RefoldClient, RefoldLocalValidationError } from "../../generated/index.js";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import type { ToolDefinition, ToolsFile } from "../../generator/schemas/tools.js";
import { sampleCatalog } from "../helpers/project.js";
import { VENDOR_TOOL_NAME } from "./support.js";

const KEY = "tk_schemas_execute";
let server: MockServer;
let files: ToolsFile[];

beforeAll(async () => {
  server = await startMock({ apps: (await sampleCatalog()).apps, apiKey: KEY });
  const dir = join("generated", "schemas");
  files = await Promise.all(
    (await readdir(dir)).sort().map(async (name) => JSON.parse(await readFile(join(dir, name), "utf8")) as ToolsFile),
  );
});

afterAll(async () => {
  await server?.close();
});

describe("tools from generated/schemas", () => {
  it("map to OpenAI's and Anthropic's tool shapes in a line each", () => {
    const tools = files.flatMap((file) => file.tools);
    const anthropic = tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.input_schema }));
    const openai = tools.map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.input_schema },
    }));
    expect(anthropic).toHaveLength(69);
    expect(openai).toHaveLength(69);
    for (const tool of anthropic) expect(tool.name).toMatch(VENDOR_TOOL_NAME);
  });

  it("execute the chosen tool through the generated client, with local validation", async () => {
    const byName = new Map(files.flatMap((file) => file.tools.map((tool) => [tool.name, { file, tool }] as const)));
    const refold = createRefold({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    const run = (name: string, input: unknown, linkedAccountId: string) => {
      const entry = byName.get(name);
      if (!entry) throw new Error(`unknown tool ${name}`);
      const apps = refold.forAccount(linkedAccountId) as unknown as Record<
        string,
        Record<string, (params: unknown) => Promise<unknown>>
      >;
      const method = apps[entry.file.property]?.[entry.tool.method];
      if (!method) throw new Error(`no method for ${name}`);
      return method(input);
    };
    const input = { spreadsheet_id: "s1", properties: { title: "Q3" } };
    await expect(run("google-sheets__add_sheet", input, "acct-7")).resolves.toMatchObject({
      action: "google-sheets.add_sheet",
      account: "acct-7",
      echo: input,
    });
    // A model's misspelt argument is refused before any request.
    const before = server.requests.length;
    await expect(run("hubspot__create_contact", { emial: "a@b.c" }, "acct-7")).rejects.toBeInstanceOf(
      RefoldLocalValidationError,
    );
    expect(server.requests.length).toBe(before);
  });

  it("execute the chosen tool through RefoldClient.run from its app, action and kind alone", async () => {
    const tools = new Map<string, ToolDefinition>(files.flatMap((file) => file.tools.map((t) => [t.name, t])));
    const client = new RefoldClient({ apiKey: KEY, baseUrl: server.url, maxRetries: 0 });
    const tool = tools.get("jira__create_issue");
    if (!tool) throw new Error("no jira__create_issue");
    const input = { project_key: "ENG", summary: "From a model", issue_type: "Bug" };
    const data = await client.run({ app: tool.app, action: tool.action, kind: tool.kind, fields: [] }, input, {
      linkedAccountId: "acct-8",
    });
    expect(data).toMatchObject({ action: "jira.create_issue", account: "acct-8", echo: input });
    const request = server.requests.at(-1);
    expect(request?.path).toBe("/api/v2/integration-schema/jira/actions/create_issue/execute");
  });
});

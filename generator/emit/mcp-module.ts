import type { Model } from "../model/types.js";
import { mcpTools } from "../schemas/mcp.js";
import { jsonLiteral } from "./escape.js";
import type { TemplateFiles } from "../pipeline/templates.js";
import { GENERATED_HEADER } from "./header.js";
import { writeImport } from "./imports.js";
import { SourceWriter } from "./writer.js";

/**
 * The MCP server files (config `emit: { "mcp": true }`): `mcp.ts`, the tool table and `createMcpServer`, and
 * `mcp/server.ts`, the server copied from templates/mcp. The index does not re-export them, so a client
 * without the option needs no MCP SDK.
 */
export function emitMcpFiles(model: Model, server: TemplateFiles): Map<string, string> {
  const files = new Map<string, string>();
  files.set("mcp.ts", emitMcpModule(model));
  for (const [name, source] of server) files.set(`mcp/${name}`, source);
  return files;
}

function emitMcpModule(model: Model): string {
  const w = new SourceWriter();
  w.line(GENERATED_HEADER);
  writeImport(w, ["Server"], "@modelcontextprotocol/sdk/server/index.js", true);
  writeImport(w, ["RefoldAccount"], "./index.js", true);
  writeImport(w, ["createMcpServerFor", "type McpServerOptions"], "./mcp/server.js");
  w.line();
  w.doc(["One tool per configured action, as JSON (name, app, method, hints, input and output schemas)."]);
  const tools = mcpTools(model);
  if (tools.length === 0) w.line("const TOOLS: readonly string[] = [];");
  else
    w.block("const TOOLS: readonly string[] = [", () => tools.forEach((tool) => w.line(`${jsonLiteral(tool)},`)), "];");
  w.line();
  w.doc([
    "An MCP server (the official SDK's `Server`) with one tool per configured action, each call run through `options.client`: the generated client, or a `forAccount(...)` result. Connect it: `await server.connect(transport)`.",
  ]);
  w.block("export function createMcpServer(options: McpServerOptions<RefoldAccount>): Server {", () =>
    w.line("return createMcpServerFor(options, TOOLS);"),
  );
  return w.toString();
}

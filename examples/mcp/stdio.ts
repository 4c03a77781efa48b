// An MCP server on stdio for one linked account: what Claude Desktop or Cursor starts (see README.md).
// REFOLD_API_KEY and REFOLD_LINKED_ACCOUNT_ID come from the environment; the key never reaches a tool.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createRefold } from "./generated/index.js";
import { createMcpServer } from "./generated/mcp.js";

const apiKey = process.env["REFOLD_API_KEY"];
const account = process.env["REFOLD_LINKED_ACCOUNT_ID"];
if (!apiKey || !account) throw new Error("set REFOLD_API_KEY and REFOLD_LINKED_ACCOUNT_ID");

const refold = createRefold({
  apiKey,
  ...(process.env["REFOLD_BASE_URL"] ? { baseUrl: process.env["REFOLD_BASE_URL"] } : {}),
});
const server = createMcpServer({
  client: refold.forAccount(account),
  readOnly: process.env["REFOLD_MCP_READ_ONLY"] === "1",
});
await server.connect(new StdioServerTransport());
process.once("SIGTERM", () => void server.close().then(() => refold.close()));

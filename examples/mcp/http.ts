// An MCP server over Streamable HTTP, one linked account per request: the account comes from the request's
// authentication (here a bearer token your app issued, looked up in your own table), never from a tool
// argument, so an agent can only reach the account it was given.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createRefold } from "./generated/index.js";
import { createMcpServer } from "./generated/mcp.js";

const refold = createRefold({ apiKey: process.env["REFOLD_API_KEY"]! });

/** Your own authentication: the linked account of the caller, or undefined. */
function accountOf(request: IncomingMessage): string | undefined {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  return token === undefined ? undefined : ACCOUNTS_BY_TOKEN.get(token);
}
const ACCOUNTS_BY_TOKEN = new Map([["agent-token-for-customer-42", "customer-42"]]);

/** One request: answered 401 without a known account, else by a stateless MCP server bound to that account. */
async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const account = accountOf(request);
  if (account === undefined) return void response.writeHead(401).end();
  // Stateless: a server and a transport per request, bound to that request's account.
  const server = createMcpServer({ client: refold.forAccount(account) });
  const transport = new StreamableHTTPServerTransport({}); // no session id generator: stateless
  response.on("close", () => void transport.close().then(() => server.close()));
  await server.connect(transport);
  await transport.handleRequest(request, response);
}

createServer((request, response) => void serve(request, response)).listen(Number(process.env["PORT"] ?? 3000));

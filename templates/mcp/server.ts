/**
 * An MCP server over a generated Refold client: one tool per action (or, in the dynamic mode, three tools
 * to list, describe and execute them), every call run through the typed client, so its validation,
 * retries, deadlines and read-only mode apply. Copied into the output as `mcp/server.ts` when the config
 * asks for `emit: { "mcp": true }`; the output's `mcp.ts` holds the tool table.
 */

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { RefoldError, RefoldLocalValidationError, RefoldReadOnlyError } from "../runtime/errors.js";
import { resultProblem, type ResultShape } from "../runtime/results.js";
import { valueAt } from "../runtime/pages.js";
import { clientIsReadOnly } from "../runtime/root.js";

/** Tools chosen by app (slug or property), action id or tool name; `*` matches any run of characters. */
export interface ToolFilter {
  readonly apps?: readonly string[];
  readonly actions?: readonly string[];
  readonly tools?: readonly string[];
}

/** Options of `createMcpServer`. */
export interface McpServerOptions<Client> {
  /** The generated client, or a `forAccount(...)` result: every call runs through it. */
  readonly client: Client;
  /** The server's name and version, as MCP clients show them. Default "refold" and "1.0.0". */
  readonly name?: string;
  readonly version?: string;
  /** Only these tools (any rule matching); default all. */
  readonly include?: ToolFilter;
  /** Not these tools. */
  readonly exclude?: ToolFilter;
  /** Hide write tools and refuse them by name. A client made with `readOnly: true` implies it. */
  readonly readOnly?: boolean;
  /** "tools" (default): one tool per action; "dynamic": three tools to list, describe and execute actions. */
  readonly mode?: "tools" | "dynamic";
  /** A result's text is cut past this many bytes, with a note saying so. Default 100 000. */
  readonly maxResultBytes?: number;
}

/** One tool of the output's table (JSON text per tool). */
interface TableTool {
  readonly name: string;
  readonly app: string;
  readonly method: string;
  readonly slug: string;
  readonly action: string;
  readonly kind: "read" | "write";
  readonly title: string;
  readonly description: string;
  readonly annotations: NonNullable<Tool["annotations"]>;
  readonly inputSchema: Tool["inputSchema"];
  readonly outputSchema?: Tool["outputSchema"];
  /** A declared paginated action's items path: the tool takes `maxPages`. */
  readonly items?: readonly string[];
}

type Method = ((params: object, options?: object) => Promise<unknown>) & {
  pages?: (params: object, options?: { maxPages?: number }) => AsyncIterable<unknown>;
};

/** The server: the official SDK's, ready for `await server.connect(transport)`. */
export function createMcpServerFor<Client>(options: McpServerOptions<Client>, table: readonly string[]): Server {
  const readOnly = options.readOnly ?? clientIsReadOnly(options.client);
  const tools = table.map((text) => JSON.parse(text) as TableTool).filter((tool) => chosen(tool, options));
  const visible = tools.filter((tool) => !readOnly || tool.kind === "read");
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new Server(
    { name: options.name ?? "refold", version: options.version ?? "1.0.0" },
    { capabilities: { tools: {} } },
  );
  const call = (tool: TableTool | undefined, name: string, args: unknown): Promise<CallToolResult> => {
    if (tool === undefined) return Promise.resolve(failure(`unknown tool ${JSON.stringify(name)}`));
    if (readOnly && tool.kind !== "read")
      return Promise.resolve(
        failure(`${tool.name} writes to ${tool.slug}, and this server is read-only: nothing was sent`),
      );
    return runTool(options, tool, args);
  };
  if (options.mode === "dynamic") {
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: DYNAMIC_TOOLS }));
    server.setRequestHandler(CallToolRequestSchema, (request) =>
      dynamicCall(request.params.name, request.params.arguments ?? {}, visible, (name, args) =>
        call(byName.get(name), name, args),
      ),
    );
  } else {
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: visible.map(describe) }));
    server.setRequestHandler(CallToolRequestSchema, (request) =>
      call(byName.get(request.params.name), request.params.name, request.params.arguments ?? {}),
    );
  }
  return server;
}

/** The tool as `tools/list` shows it. */
function describe(tool: TableTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    annotations: tool.annotations,
  };
}

/** Runs one action through the client: its `data` as JSON text (and as structured content where shaped). */
async function runTool<Client>(
  options: McpServerOptions<Client>,
  tool: TableTool,
  args: unknown,
): Promise<CallToolResult> {
  const app = (options.client as Record<string, Record<string, Method> | undefined>)[tool.app];
  const method = app?.[tool.method];
  if (typeof method !== "function") return failure(`${tool.name}: the client has no ${tool.app}.${tool.method}`);
  const params = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
  const { maxPages, ...rest } = params;
  const paged = tool.items !== undefined && maxPages !== undefined;
  if (paged && !(typeof maxPages === "number" && Number.isInteger(maxPages) && maxPages >= 1))
    return failure(
      `invalid arguments for ${tool.name}: maxPages must be a whole number of at least 1; nothing was sent`,
    );
  let data: unknown;
  try {
    data = paged ? await walk(method, rest, maxPages as number, tool.items) : await method(params);
  } catch (error) {
    return failure(errorText(tool, error));
  }
  const text = cut(JSON.stringify(data) ?? "null", options.maxResultBytes ?? 100_000);
  if (tool.outputSchema === undefined) return { content: [{ type: "text", text }] };
  const problem = resultProblem(data, tool.outputSchema as unknown as ResultShape);
  if (problem !== undefined) {
    // Structured content must fit the declared schema: a drifted result is said so, with its text.
    return failure(
      `${tool.name}: the result does not fit its recorded shape at ${problem.path} (${problem.reason}):\n${text}`,
    );
  }
  return { content: [{ type: "text", text }], structuredContent: data as Record<string, unknown> };
}

/**
 * Up to `maxPages` pages through the method's `.pages()`: the last page, its items replaced by every page's, so
 * the answer keeps the page's shape (and its next cursor, to go on from). An empty first page is answered as is.
 */
async function walk(method: Method, params: object, maxPages: number, items: readonly string[]): Promise<unknown> {
  let last: unknown;
  const all: unknown[] = [];
  for await (const page of method.pages?.(params, { maxPages }) ?? []) {
    last = page;
    all.push(...(valueAt(page, items) as unknown[]));
  }
  return last === undefined ? method(params) : withValueAt(last, items, all);
}

/** A copy of `value` with the value at `path` replaced, copying only the objects along the path. */
function withValueAt(value: unknown, path: readonly string[], replacement: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...record };
  Object.defineProperty(copy, key, {
    value: withValueAt(record[key], rest, replacement),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** What an agent reads of a failure: Refold's message and status, never a credential. */
function errorText(tool: TableTool, error: unknown): string {
  if (error instanceof RefoldLocalValidationError) {
    const what = error.field === "" ? "the arguments" : `parameter "${error.field}"`;
    return `invalid arguments for ${tool.name}: ${what} ${error.reason}; nothing was sent`;
  }
  // RefoldError messages start with "<slug>.<action>: ", which the text below says its own way.
  const message = error instanceof Error ? error.message.replace(`${tool.slug}.${tool.action}: `, "") : String(error);
  if (error instanceof RefoldReadOnlyError) return `${tool.name}: ${message}`;
  if (error instanceof RefoldError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return `${tool.slug} ${tool.action} failed${status}: ${message}`;
  }
  return `${tool.name} failed: ${message}`;
}

function failure(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

/** The text cut to at most `max` bytes of UTF-8, with a note saying so. */
function cut(text: string, max: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= max) return text;
  let end = Math.min(text.length, max);
  while (Buffer.byteLength(text.slice(0, end)) > max) end = Math.floor(end * 0.9);
  return `${text.slice(0, end)}\n[cut: the result is ${bytes} bytes, past this server's maxResultBytes (${max}); the text above is its start]`;
}

function chosen<Client>(tool: TableTool, options: McpServerOptions<Client>): boolean {
  const { include, exclude } = options;
  const matches = (filter: ToolFilter) =>
    matchesAny(filter.apps, [tool.slug, tool.app]) ||
    matchesAny(filter.actions, [tool.action]) ||
    matchesAny(filter.tools, [tool.name]);
  const included = include === undefined || (!include.apps && !include.actions && !include.tools) || matches(include);
  return included && (exclude === undefined || !matches(exclude));
}

function matchesAny(patterns: readonly string[] | undefined, values: readonly string[]): boolean {
  if (patterns === undefined) return false;
  return patterns.some((pattern) => {
    const regex = new RegExp(
      `^${pattern
        .split("*")
        .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    return values.some((value) => regex.test(value));
  });
}

/** The dynamic mode's tools, as Refold's own MCP servers and Stainless offer them for large catalogs. */
const DYNAMIC_TOOLS: Tool[] = [
  {
    name: "list_actions",
    title: "List actions",
    description: "Lists the actions this server can run: tool name, app, action id, title and kind (read or write).",
    inputSchema: {
      type: "object",
      properties: {
        app: { type: "string", description: "Only this app (its slug)" },
        query: { type: "string", description: "Only actions whose name, id or title contains this text" },
      },
    },
    annotations: { title: "List actions", readOnlyHint: true, openWorldHint: false },
  },
  {
    name: "describe_action",
    title: "Describe an action",
    description: "The input schema (and output schema, where known) of one action, by its tool name from list_actions.",
    inputSchema: { type: "object", properties: { tool: { type: "string" } }, required: ["tool"] },
    annotations: { title: "Describe an action", readOnlyHint: true, openWorldHint: false },
  },
  {
    name: "execute_action",
    title: "Execute an action",
    description: "Runs one action, by its tool name from list_actions, with arguments that fit its input schema.",
    inputSchema: {
      type: "object",
      properties: { tool: { type: "string" }, arguments: { type: "object" } },
      required: ["tool"],
    },
    annotations: { title: "Execute an action", readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  },
];

async function dynamicCall(
  name: string,
  args: Record<string, unknown>,
  visible: readonly TableTool[],
  call: (name: string, args: unknown) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const text = (value: unknown): CallToolResult => ({
    content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
  });
  if (name === "list_actions") {
    const app = typeof args["app"] === "string" ? args["app"] : undefined;
    const query = typeof args["query"] === "string" ? args["query"].toLowerCase() : undefined;
    const listed = visible.filter(
      (tool) =>
        (app === undefined || tool.slug === app) &&
        (query === undefined ||
          [tool.name, tool.action, tool.title].some((field) => field.toLowerCase().includes(query))),
    );
    return text(
      listed.map((tool) => ({
        tool: tool.name,
        app: tool.slug,
        action: tool.action,
        title: tool.title,
        kind: tool.kind,
      })),
    );
  }
  const target = typeof args["tool"] === "string" ? args["tool"] : "";
  const tool = visible.find((candidate) => candidate.name === target);
  if (name === "describe_action")
    return tool === undefined
      ? failure(`unknown action tool ${JSON.stringify(target)}: see list_actions`)
      : text(describe(tool));
  if (name === "execute_action") return call(target, args["arguments"] ?? {});
  return failure(`unknown tool ${JSON.stringify(name)}`);
}

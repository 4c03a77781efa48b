import { writeEffect } from "../model/kinds.js";
import type { Model, ModelAction } from "../model/types.js";
import { saysNothing, variantsOf, type Shape } from "../results/shape.js";
import { cleanDescription, objectSchema, type JsonSchema } from "./json-schema.js";
import { assignToolNames, mcpToolName } from "./names.js";
import { setOwn } from "../util/records.js";

/*
 * The MCP server's tool table (config `emit: { "mcp": true }`): one tool per action, named
 * `<slug>_<action_id>`, its input the action's JSON Schema (the one `emit.schemas` writes), its output schema
 * the recorded result shape where there is one, and the hints MCP clients show.
 */

/** One tool as `<output>/mcp.ts` hands it to the server (JSON in the table). */
export interface McpTool {
  name: string;
  /** The client's app property and method that run it. */
  app: string;
  method: string;
  slug: string;
  action: string;
  kind: "read" | "write";
  title: string;
  description: string;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint?: boolean;
    openWorldHint: true;
  };
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** A declared paginated action's items path: its tool takes an optional `maxPages` argument. */
  items?: readonly string[];
}

/** The optional argument of a declared paginated action's tool (left out when the action has a field of that name). */
export const MAX_PAGES_ARGUMENT = "maxPages";

/** Every action's tool, sorted by name. */
export function mcpTools(model: Model): McpTool[] {
  const names = assignToolNames(model, mcpToolName, "_");
  const tools = model.apps.flatMap((app) =>
    app.actions.map((action): McpTool => {
      const title = cleanDescription(action.name).replace(/\n/g, " ");
      const effect = writeEffect(action.id, action.kind);
      return {
        name: names.get(action) ?? "",
        app: app.property,
        method: action.method,
        slug: app.slug,
        action: action.id,
        kind: action.kind,
        title,
        description: cleanDescription(action.description) || title,
        annotations: {
          title,
          readOnlyHint: action.kind === "read",
          destructiveHint: effect.destructive,
          ...(effect.idempotent !== undefined ? { idempotentHint: effect.idempotent } : {}),
          openWorldHint: true,
        },
        ...pagedInput(action),
        ...(action.result !== undefined && isObjectShape(action.result.shape)
          ? { outputSchema: openSchema(action.result.shape) }
          : {}),
      };
    }),
  );
  return tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The tool's input schema; a declared paginated action's also takes `maxPages`, and its tool walks that many pages
 * and answers the last page with the items of every page walked.
 */
function pagedInput(action: ModelAction): Pick<McpTool, "inputSchema" | "items"> {
  const inputSchema = objectSchema(action.fields);
  if (action.pagination === undefined || action.fields.some((field) => field.name === MAX_PAGES_ARGUMENT))
    return { inputSchema };
  const maxPages = {
    type: "integer",
    minimum: 1,
    description: `Walk up to this many pages (declared ${action.pagination.scheme} pagination) and answer the last one with the items of all of them; default one page.`,
  };
  setOwn(inputSchema["properties"] as Record<string, JsonSchema>, MAX_PAGES_ARGUMENT, maxPages);
  return { inputSchema, items: action.pagination.items };
}

/** MCP output schemas and structured content are objects: only a result that always is one gets a schema. */
function isObjectShape(shape: Shape): boolean {
  const variants = variantsOf(shape);
  return variants.length === 1 && variants[0]?.type === "object";
}

/**
 * A recorded shape as an output schema the MCP client validates results against: the same types and
 * required keys, but objects open (an answer may hold fields no sample had) and no formats (only hints).
 */
function openSchema(shape: Shape): JsonSchema {
  // Only null seen, or cut below the depth limit: nothing is known of the type.
  if (saysNothing(shape)) return {};
  const variants = variantsOf(shape).map((variant): JsonSchema => {
    switch (variant.type) {
      case "string":
        return { type: "string" };
      case "array":
        return variant.items === undefined ? { type: "array" } : { type: "array", items: openSchema(variant.items) };
      case "object": {
        if (!("properties" in variant))
          return variant.additionalProperties === false
            ? { type: "object" }
            : { type: "object", additionalProperties: openSchema(variant.additionalProperties) };
        const properties: Record<string, JsonSchema> = {};
        for (const [key, value] of Object.entries(variant.properties)) setOwn(properties, key, openSchema(value));
        return { type: "object", properties, required: variant.required };
      }
      default:
        return { type: variant.type };
    }
  });
  return variants.length === 1 ? (variants[0] as JsonSchema) : { anyOf: variants };
}

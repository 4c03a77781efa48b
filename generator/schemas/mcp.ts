import { writeEffect } from "../model/kinds.js";
import type { Model } from "../model/types.js";
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
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint?: boolean; openWorldHint: true };
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

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
        inputSchema: objectSchema(action.fields),
        ...(action.result !== undefined && isObjectShape(action.result.shape) ? { outputSchema: openSchema(action.result.shape) } : {}),
      };
    }),
  );
  return tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
        for (const [key, value] of Object.entries(variant.properties))
          setOwn(properties, key, openSchema(value));
        return { type: "object", properties, required: variant.required };
      }
      default:
        return { type: variant.type };
    }
  });
  return variants.length === 1 ? (variants[0] as JsonSchema) : { anyOf: variants };
}

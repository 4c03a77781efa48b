import { GENERATED_MARK } from "../emit/header.js";
import type { ModelAction, ModelApp } from "../model/types.js";
import { cleanDescription, JSON_SCHEMA_DIALECT, objectSchema, type JsonSchema } from "./json-schema.js";

/** OpenAI rejects longer function descriptions; Anthropic accepts them, so the shorter limit holds. */
export const MAX_TOOL_DESCRIPTION = 1024;

/** The first key of every emitted JSON file: the write stage's marker, within its first 200 characters. */
export const JSON_GENERATED_NOTE = `${GENERATED_MARK}. Do not edit: run \`refold-codegen generate\` instead.`;

/** One action as a tool an LLM can call (see the README for the OpenAI and Anthropic shapes). */
export interface ToolDefinition {
  /** Unique across the output, `^[A-Za-z_][A-Za-z0-9_-]{0,63}$`. */
  name: string;
  description: string;
  /** The app's slug, as sent in the URL. */
  app: string;
  /** The action id, as sent in the URL. */
  action: string;
  /** The generated method: `refold[property][method](input)`. */
  method: string;
  kind: "read" | "write";
  /** A closed JSON Schema (draft 2020-12) object of the action's parameters. */
  input_schema: JsonSchema;
}

/** The content of `schemas/<app>.json`. */
export interface ToolsFile {
  $comment: string;
  app: string;
  /** The app's property on the generated client (`refold.googleSheets`). */
  property: string;
  jsonSchemaDialect: string;
  tools: ToolDefinition[];
}

/** One tool per action of the app, in the model's (action id) order. */
export function toolsFile(app: ModelApp, names: ReadonlyMap<ModelAction, string>): ToolsFile {
  return {
    $comment: JSON_GENERATED_NOTE,
    app: app.slug,
    property: app.property,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    tools: app.actions.map((action) => ({
      name: toolName(names, action),
      description: toolDescription(action),
      app: app.slug,
      action: action.id,
      method: action.method,
      kind: action.kind,
      input_schema: objectSchema(action.fields),
    })),
  };
}

/** The text of `schemas/<app>.json`. */
export function emitToolsFile(app: ModelApp, names: ReadonlyMap<ModelAction, string>): string {
  return jsonText(toolsFile(app, names));
}

/** `Name: description` (or the name alone), cleaned and cut to 1024 characters. */
export function toolDescription(action: ModelAction): string {
  const name = cleanDescription(action.name);
  const description = cleanDescription(action.description);
  let text = description === "" || description === name ? name : `${name}: ${description}`;
  if (text.startsWith(": ")) text = text.slice(2);
  if (text === "") text = cleanDescription(`Refold action ${JSON.stringify(action.id)}`);
  return truncate(text, MAX_TOOL_DESCRIPTION);
}

/** At most `max` UTF-16 code units, cut between code points, ending in an ellipsis when cut. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}\u2026`;
}

/** The tool name chosen for an action (names.ts). */
export function toolName(names: ReadonlyMap<ModelAction, string>, action: ModelAction): string {
  const name = names.get(action);
  if (name === undefined) throw new Error(`internal error: no tool name for action "${action.id}"`);
  return name;
}

/** JSON text as every emitted JSON file is laid out: two-space indentation and a trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

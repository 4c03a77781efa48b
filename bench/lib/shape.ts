/*
 * The baselines' own reading of the corpus (independent of generator/model, so a baseline never
 * benefits from, or breaks with, the product's internals): raw fields to simple shapes, then to
 * TypeScript type text or JSON Schema.
 */
import { fieldList, type RawField } from "../corpus.js";

export type TypeShape =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "json" }
  | { kind: "unknown" }
  | { kind: "enum"; values: (string | number | boolean)[]; multiple: boolean }
  | { kind: "object"; fields: Shape[] }
  | { kind: "array"; items: TypeShape };

export interface Shape {
  name: string;
  required: boolean;
  label?: string;
  description?: string;
  type: TypeShape;
}

const STRINGS = new Set(["text", "string", "email", "url", "textarea", "password", "date"]);

/** The shapes of an action's raw parameter payload. */
export function shapesOf(payload: unknown): Shape[] {
  return fieldList(payload).map((field) => shapeOf(field));
}

export function shapeOf(field: RawField): Shape {
  const shape: Shape = { name: field.name, required: isTrue(field.required), type: typeShape(field) };
  if (field.label !== undefined) shape.label = field.label;
  const description = field.description ?? field.help_text;
  if (description !== undefined) shape.description = description;
  return shape;
}

function typeShape(field: Omit<RawField, "name">): TypeShape {
  const type = field.type;
  if (STRINGS.has(type)) return { kind: "string" };
  if (type === "number") return { kind: "number" };
  if (type === "boolean") return { kind: "boolean" };
  if (type === "json") return { kind: "json" };
  if (type === "select") {
    const values = (field.options ?? []).map((option) =>
      typeof option === "object" && option !== null ? (option as { value: string | number | boolean }).value : option,
    ) as (string | number | boolean)[];
    if (values.length === 0)
      return field.multiple === true ? { kind: "array", items: { kind: "string" } } : { kind: "string" };
    return { kind: "enum", values, multiple: field.multiple === true };
  }
  if (type === "object") {
    if (field.fields !== undefined) return { kind: "object", fields: field.fields.map((child) => shapeOf(child)) };
    if (field.properties !== undefined) {
      const required = Array.isArray(field.required) ? field.required : [];
      return {
        kind: "object",
        fields: Object.entries(field.properties).map(([name, child]) => ({
          ...shapeOf({ ...child, name }),
          required: required.includes(name),
        })),
      };
    }
    return { kind: "json" };
  }
  if (type === "array") {
    const items = field.items;
    if (typeof items === "string") return { kind: "array", items: typeShape({ type: items }) };
    if (items !== undefined) return { kind: "array", items: typeShape(items) };
    return { kind: "array", items: { kind: "json" } };
  }
  return { kind: "unknown" };
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === 1;
}

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(name: string): string {
  return PLAIN.test(name) ? name : JSON.stringify(name);
}

/** Inline TypeScript type text. */
export function tsType(type: TypeShape): string {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "unknown":
      return type.kind;
    case "json":
      return "unknown";
    case "enum": {
      const union = type.values.map((value) => JSON.stringify(value)).join(" | ");
      return type.multiple ? `readonly (${union})[]` : union;
    }
    case "object":
      return `{ ${type.fields.map((field) => `${member(field)};`).join(" ")} }`;
    case "array": {
      const items = tsType(type.items);
      return /^[\w$]+$/.test(items) ? `readonly ${items}[]` : `readonly (${items})[]`;
    }
  }
}

/** `name?: type` of one field. */
export function member(field: Shape): string {
  return `${propertyKey(field.name)}${field.required ? "" : "?"}: ${tsType(field.type)}`;
}

/** A JSON Schema for an action's parameters (the naive pipeline's input). */
export function jsonSchemaOf(fields: readonly Shape[], description: string): Record<string, unknown> {
  return { type: "object", description, ...objectSchema(fields) };
}

function objectSchema(fields: readonly Shape[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of fields) {
    const schema = typeSchema(field.type);
    const docs = [field.label, field.description].filter((text) => text !== undefined).join("\n\n");
    properties[field.name] = docs === "" ? schema : { ...schema, description: docs };
  }
  const required = fields.filter((field) => field.required).map((field) => field.name);
  return { properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function typeSchema(type: TypeShape): Record<string, unknown> {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
      return { type: type.kind };
    case "json":
    case "unknown":
      return {};
    case "enum":
      return type.multiple ? { type: "array", items: { enum: type.values } } : { enum: type.values };
    case "object":
      return { type: "object", ...objectSchema(type.fields) };
    case "array":
      return { type: "array", items: typeSchema(type.items) };
  }
}

/** The product's naming rule for plain snake_case / dashed ids (the corpus only has those). */
export function camelCase(id: string): string {
  const [first = "", ...rest] = id.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
  return first.toLowerCase() + rest.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join("");
}

export function pascalCase(id: string): string {
  const camel = camelCase(id);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

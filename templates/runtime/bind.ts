/**
 * Turns a generated app module's action table into its client and its `<app>Actions` list.
 *
 * The table holds one string per client method: JSON text of `[actionId, kind, name, description,
 * ...fields]`. A type checker sees a string, not an object literal it must type, and the text is short.
 * A field is its name alone (an optional string), or `[name, type]`; a type is a code, or an array that
 * starts with one: `"s"` string, `"n"` number, `"b"` boolean, `"j"` JSON, `"u"` unknown,
 * `["e", ...values]` a select, `["m", ...values]` a select of several values, `["o", ...fields]` an object,
 * `["a", type]` an array of that type. A `!` before a field's code makes the field required
 * (`["email", "!s"]`).
 */

import type { ActionInfo, ActionKind, ActionRunner, ActionSpec, CallOptions, FieldSpec } from "./types.js";

/** One JSON string per client method: what a generated app module passes to `defineApp`. */
export type ActionTable<Client> = { readonly [Method in keyof Client]: string };

/** An app's actions, read from its table. */
export interface AppDefinition<Client> {
  /** Every action, in the table's order (sorted by action id): the module's `<app>Actions`. */
  readonly list: readonly ActionInfo[];
  /** The client: one method per action, each executing its action through `runner`. */
  bind(runner: ActionRunner): Client;
}

type Method = (params?: object, options?: CallOptions) => Promise<unknown>;
type Encoded = string | readonly unknown[];

/** Reads an app's table. The field lists are decoded on an action's first call, once for every runner. */
export function defineApp<Client>(app: string, table: ActionTable<Client>): AppDefinition<Client> {
  const methods = Object.keys(table);
  const rows = methods.map((method) => JSON.parse((table as Record<string, string>)[method] as string) as unknown[]);
  const list = rows.map(([actionId, kind, name, description], index): ActionInfo => ({
    actionId: actionId as string,
    method: methods[index] as string,
    name: name as string,
    description: description as string,
    kind: kind as ActionKind,
  }));
  const specs: (ActionSpec | undefined)[] = [];
  const specOf = (index: number): ActionSpec => {
    let spec = specs[index];
    if (spec === undefined) {
      const [action, kind, , , ...fields] = rows[index] as unknown[];
      spec = { app, action: action as string, kind: kind as ActionKind, fields: fields.map(decodeField) };
      specs[index] = spec;
    }
    return spec;
  };
  return {
    list,
    bind(runner) {
      const client: Record<string, Method> = {};
      methods.forEach((name, index) => {
        // Method names are plain identifiers chosen by the generator; defineProperty keeps even odd ones own data.
        Object.defineProperty(client, name, {
          value: ((params, options) => runner.run(specOf(index), params, options)) satisfies Method,
          enumerable: true,
        });
      });
      return client as Client;
    },
  };
}

/** A field of the table as the runtime's validator reads it. */
export function decodeField(field: unknown): FieldSpec {
  if (typeof field === "string") return { name: field, type: "string" };
  const [name, type] = field as [string, Encoded];
  const code = typeof type === "string" ? type : String(type[0]);
  const required = code.startsWith("!");
  const spec = { name, ...decodeType(type, required ? code.slice(1) : code) };
  return required ? { ...spec, required: true } : spec;
}

function decodeType(type: Encoded, code: string): Omit<FieldSpec, "name"> {
  const args = typeof type === "string" ? [] : type.slice(1);
  switch (code) {
    case "s":
      return { type: "string" };
    case "n":
      return { type: "number" };
    case "b":
      return { type: "boolean" };
    case "j":
      return { type: "json" };
    case "u":
      return { type: "unknown" };
    case "e":
    case "m": {
      const values = args as (string | number | boolean)[];
      return code === "m" ? { type: valuesType(values), values, multiple: true } : { type: valuesType(values), values };
    }
    case "o":
      return { type: "object", fields: args.map(decodeField) };
    case "a": {
      const items = args[0] as Encoded;
      return {
        type: "array",
        items: { name: "", ...decodeType(items, typeof items === "string" ? items : String(items[0])) },
      };
    }
    default:
      throw new Error(`refold: unknown field code ${JSON.stringify(code)} in a generated action table`);
  }
}

/** The primitive type a select's values share, or "unknown" when they are mixed. */
function valuesType(values: readonly (string | number | boolean)[]): FieldSpec["type"] {
  const kinds = new Set(values.map((value) => typeof value));
  const [only] = kinds;
  return kinds.size === 1 && (only === "string" || only === "number" || only === "boolean") ? only : "unknown";
}

/**
 * Turns a generated app module's action table into its client, and its names table into its `<app>Actions`
 * list.
 *
 * The action table holds one string per client method: JSON text of `[actionId, kind, ...fields]`. A type
 * checker sees a string, not an object literal it must type, and the text is short.
 * A field is its name alone (an optional string), or `[name, type]`; a type is a code, or an array that
 * starts with one: `"s"` string, `"n"` number, `"b"` boolean, `"j"` JSON, `"u"` unknown,
 * `["e", ...values]` a select, `["m", ...values]` a select of several values, `["o", ...fields]` an object,
 * `["a", type]` an array of that type. A `!` before a field's code makes the field required
 * (`["email", "!s"]`).
 *
 * The names table holds `[name, description]` per method, read only by `listActions`: the titles and
 * descriptions are most of an app's text, and a bundle that never reads the list leaves them out.
 */

import type { ActionInfo, ActionKind, ActionRunner, ActionSpec, CallOptions, FieldSpec } from "./types.js";
import { hasOwn } from "./validate.js";

/** One JSON string per client method: what a generated app module passes to `defineApp`. */
export type ActionTable<Client> = { readonly [Method in keyof Client]: string };

/** The recorded result shapes of some methods, as JSON text of EncodedShapes (results.ts): for `checkResults`. */
export type ResultTable<Client> = { readonly [Method in keyof Client]?: string };

/** An app's actions, read from its table. */
export interface AppDefinition<Client> {
  /** Every action's id, method and kind, in the table's order (sorted by action id). */
  readonly actions: readonly Omit<ActionInfo, "name" | "description">[];
  /** The client: one method per action, each executing its action through `runner`. */
  bind(runner: ActionRunner): Client;
}

type Method = (params?: object, options?: CallOptions) => Promise<unknown>;

/**
 * Adds members to an action's method when the method is made, once per bound client (pages.ts's `withPages`
 * adds a declared pagination's `.pages()` and `.all()`). Apps that declare none pass none, and bundle no pager.
 */
export type MethodExtension = (method: string, call: Method, app: string, action: string) => void;
/** A row as `JSON.parse` gives it back. */
type Row = readonly [actionId: string, kind: ActionKind, ...fields: unknown[]];
/** A type: a code, or an array that starts with one. */
type Encoded = string | readonly unknown[];

/** Reads an app's table. The field lists are decoded on an action's first call, once for every runner. */
export function defineApp<Client>(
  app: string,
  table: ActionTable<Client>,
  results: ResultTable<Client> = {},
  extend?: MethodExtension,
): AppDefinition<Client> {
  const texts = table as Readonly<Record<string, string>>;
  const shapes = results as Readonly<Record<string, string | undefined>>;
  const methods = Object.keys(texts);
  const rows = methods.map((method) => JSON.parse(texts[method] as string) as Row);
  const specs: ActionSpec[] = [];
  const specOf = (index: number): ActionSpec => {
    let spec = specs[index];
    if (spec === undefined) {
      const row = rows[index] as Row;
      const result = hasOwn(shapes, methods[index] as string) ? shapes[methods[index] as string] : undefined;
      spec = {
        app,
        action: row[0],
        kind: row[1],
        fields: row.slice(2).map(decodeField),
        ...(result ? { result } : {}),
      };
      specs[index] = spec;
    }
    return spec;
  };
  // The client's methods live on one prototype, made once: binding a runner (a client, a linked account)
  // makes one object, and a method becomes an own closure on its first use, so a bound client costs nothing
  // per action and a method can still be passed around on its own (`const { createContact } = client`).
  const prototype: object = {};
  methods.forEach((name, index) => {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      configurable: true,
      get(this: Bound): Method {
        const runner = this[RUNNER];
        const method: Method = (params, options) => runner.run(specOf(index), params, options);
        extend?.(name, method, app, (rows[index] as Row)[0]);
        Object.defineProperty(this, name, { value: method, enumerable: true });
        return method;
      },
    });
  });
  return {
    actions: rows.map(([actionId, kind], index) => ({ actionId, method: methods[index] as string, kind })),
    bind(runner: ActionRunner): Client {
      const client = Object.create(prototype) as Bound;
      client[RUNNER] = runner;
      return client as unknown as Client;
    },
  };
}

/**
 * The module's `<app>Actions`: every action of `app` with its name and description, in the table's order. The
 * generated module marks the call pure, so that a bundler drops it, and the names table, where nothing reads
 * the list.
 */
export function listActions<Client>(
  app: AppDefinition<Client>,
  // One JSON string per client method, `[name, description]`. Typed loosely: the module is generated, and
  // checking its keys against the client's would cost every user's tsc for nothing.
  names: Readonly<Record<string, string>>,
): readonly ActionInfo[] {
  return app.actions.map(({ actionId, method, kind }) => {
    const [name, description] = JSON.parse(names[method] as string) as [string, string];
    return { actionId, method, name, description, kind };
  });
}

const RUNNER = Symbol("refold.runner");
type Bound = { [RUNNER]: ActionRunner };

/** A field of the table as the runtime's validator reads it. */
export function decodeField(field: unknown): FieldSpec {
  if (typeof field === "string") return { name: field, type: "string" };
  const [name, encoded] = field as readonly [string, Encoded];
  return decodeType(name, encoded);
}

// The codes of the types that take no arguments.
const PLAIN_TYPES: Readonly<Record<string, FieldSpec["type"]>> = {
  s: "string",
  n: "number",
  b: "boolean",
  j: "json",
  u: "unknown",
};

function decodeType(name: string, encoded: Encoded): FieldSpec {
  const [head, ...args] = typeof encoded === "string" ? [encoded] : encoded;
  const required = String(head).charAt(0) === "!";
  const spec = decodeCode(name, required ? String(head).slice(1) : String(head), args);
  return required ? { ...spec, required: true } : spec;
}

function decodeCode(name: string, code: string, args: readonly unknown[]): FieldSpec {
  const type = hasOwn(PLAIN_TYPES, code) ? PLAIN_TYPES[code] : undefined;
  if (type !== undefined) return { name, type };
  if (code === "o") return { name, type: "object", fields: args.map(decodeField) };
  if (code === "a") return { name, type: "array", items: decodeType("", args[0] as Encoded) };
  if (code !== "e" && code !== "m") {
    throw new Error(`refold: unknown field code ${JSON.stringify(code)} in a generated action table`);
  }
  const values = args as readonly (string | number | boolean)[];
  const select: FieldSpec = { name, type: valuesType(values), values };
  return code === "m" ? { ...select, multiple: true } : select;
}

/** The primitive type a select's values share, or "unknown" when they are mixed. */
function valuesType(values: readonly (string | number | boolean)[]): FieldSpec["type"] {
  const [type, other] = new Set(values.map((value) => typeof value));
  return other === undefined && (type === "string" || type === "number" || type === "boolean") ? type : "unknown";
}

/** A JSON value as Refold's `json` parameters accept it. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** Whether an action only reads from the connected app or may change it. */
export type ActionKind = "read" | "write";

/** The runtime shape of one parameter, used for local validation before sending. */
export interface FieldSpec {
  /** The body key sent on the wire, exactly as the API named it. */
  readonly name: string;
  readonly type: "string" | "number" | "boolean" | "json" | "unknown" | "object" | "array";
  readonly required?: boolean;
  /** The allowed values of a `select` field. */
  readonly values?: readonly (string | number | boolean)[];
  /** A `select` field that takes an array of its values. */
  readonly multiple?: boolean;
  /** The fields of an `object` field (or of each item of an `array` of objects). */
  readonly fields?: readonly FieldSpec[];
  /** The item shape of an `array` field. */
  readonly items?: FieldSpec;
}

/** Everything the runtime needs to know about one action to execute it. */
export interface ActionSpec {
  /** The app's slug, as sent in the URL. */
  readonly app: string;
  /** The action id, as sent in the URL. */
  readonly action: string;
  readonly kind: ActionKind;
  readonly fields: readonly FieldSpec[];
  /** The result shape recorded for the action, as JSON text of an EncodedShape (results.ts), for `checkResults`. */
  readonly result?: string;
}

/** Options accepted by every generated method as its last argument. */
export interface CallOptions {
  /** The linked account (end customer) to run the action for. */
  linkedAccountId?: string;
  /** Cancels the call at any point, including while the body is read. */
  signal?: AbortSignal;
  /** Deadline of each attempt, from connecting to the last body byte, in milliseconds; a retry gets a fresh one. */
  timeoutMs?: number;
  /** How many times a failed call may be retried. */
  maxRetries?: number;
}

/**
 * Options of a declared paginated action's `.pages()` and `.all()`: each page's call options, and where to stop
 * early. Without them the iteration runs to the last page.
 */
export interface PageOptions extends CallOptions {
  /** Fetch at most this many pages. */
  maxPages?: number;
  /** Stop once this many items have come: `.all()` yields exactly that many at most, `.pages()` stops after the page that reaches it. */
  maxItems?: number;
}

/** What generated app modules call to execute an action. */
export interface ActionRunner {
  run(spec: ActionSpec, params: object | undefined, options?: CallOptions): Promise<unknown>;
}

/**
 * One entry of a generated `<app>Actions` list: what an action is, for tooling and docs. The generated lists
 * narrow `Id` to the app's action ids and `Method` to its client's method names.
 */
export interface ActionInfo<Id extends string = string, Method extends PropertyKey = string> {
  /** The action id, as sent in the URL. */
  readonly actionId: Id;
  /** The generated method's name. */
  readonly method: Method;
  readonly name: string;
  readonly description: string;
  readonly kind: ActionKind;
}

/** Whether an app is connected for a linked account (`connections()`); `status` of its connected account, when Refold says. */
export interface Connection {
  /** The app's slug. */
  readonly slug: string;
  /** The linked account has connected the app. */
  readonly connected: boolean;
  /** Refold can no longer authenticate for it: the end customer must connect again. */
  readonly reauthRequired: boolean;
  readonly status?: "active" | "expired";
}

/** A session token for one linked account, for a browser or another service (`sessionToken()`). */
export interface SessionToken {
  readonly token: string;
  readonly refreshToken?: string;
  /** Seconds until the token expires, as Refold says. */
  readonly expiresIn?: number;
}

/**
 * `[Symbol.asyncDispose]` where the TypeScript library knows it (ES2024 or esnext.disposable), so that
 * `await using refold = createRefold(...)` closes the client; nothing under an older library.
 */
export type AsyncDisposableClient = SymbolConstructor extends { readonly asyncDispose: infer Key extends symbol }
  ? { readonly [K in Key]: () => Promise<void> }
  : unknown;

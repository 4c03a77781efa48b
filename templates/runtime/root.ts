/**
 * What the generated index's `createRefold` returns: one property per configured app, `forAccount`,
 * `connections`, `sessionToken` and `close`. A multi-tenant server calls `forAccount` once per request, so it
 * costs one object: the apps are getters on a prototype shared by every account, and an app's client is made
 * when the account first uses it.
 */

import { connectionsOf } from "./accounts.js";
import type { RefoldClient } from "./client.js";
import type { ActionRunner, CallOptions, Connection, SessionToken } from "./types.js";

/** One configured app as the generated index lists it: its slug and the factory of its client. */
export interface AppEntry {
  readonly slug: string;
  readonly create: (runner: ActionRunner) => unknown;
}

/** The configured apps by property name (`hubspot`, `googleSheets`). */
export type AppEntries = Readonly<Record<string, AppEntry>>;

const RUNNER = Symbol("refold.runner");
const CLIENT = Symbol("refold.client");
const ACCOUNT = Symbol("refold.account");

interface Bound {
  [RUNNER]: ActionRunner;
  [CLIENT]: RefoldClient;
  [ACCOUNT]: string | undefined;
}

const prototypes = new WeakMap<AppEntries, { account: object; root: object }>();

/** The root object of a client with these apps; the generated index types it. */
export function createRoot(client: RefoldClient, apps: AppEntries): unknown {
  const { root } = prototypesFor(apps);
  const made = Object.create(root) as Bound;
  made[RUNNER] = client;
  made[CLIENT] = client;
  made[ACCOUNT] = undefined;
  // `await using refold = createRefold(...)`, where the runtime knows the symbol (Node 20.4+).
  const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (dispose !== undefined) Object.defineProperty(made, dispose, { value: () => client.close() });
  return made;
}

function prototypesFor(apps: AppEntries): { account: object; root: object } {
  let known = prototypes.get(apps);
  if (known !== undefined) return known;
  const account = Object.create(Object.prototype, appGetters(apps)) as object;
  Object.defineProperty(account, "connections", {
    value(this: Bound, options?: CallOptions): Promise<Record<string, Connection>> {
      return this[CLIENT].applications(this[ACCOUNT], options).then((answer) => connectionsOf(answer, apps));
    },
  });
  const root = Object.create(account, {
    forAccount: {
      value(this: Bound, linkedAccountId: string): unknown {
        const bound = Object.create(account) as Bound;
        bound[RUNNER] = this[CLIENT].forAccount(linkedAccountId);
        bound[CLIENT] = this[CLIENT];
        bound[ACCOUNT] = linkedAccountId;
        return bound;
      },
    },
    sessionToken: {
      value(
        this: Bound,
        linkedAccountId: string,
        options?: CallOptions & { forceRefresh?: boolean },
      ): Promise<SessionToken> {
        return this[CLIENT].sessionToken(linkedAccountId, options);
      },
    },
    close: {
      value(this: Bound): Promise<void> {
        return this[CLIENT].close();
      },
    },
  }) as object;
  known = { account, root };
  prototypes.set(apps, known);
  return known;
}

/** A getter per app that makes the app's client on first use and keeps it on the object that asked. */
function appGetters(apps: AppEntries): PropertyDescriptorMap {
  const getters: PropertyDescriptorMap = {};
  for (const [property, app] of Object.entries(apps)) {
    getters[property] = {
      enumerable: true,
      configurable: true,
      get(this: Bound): unknown {
        const client = app.create(this[RUNNER]);
        Object.defineProperty(this, property, { value: client, enumerable: true });
        return client;
      },
    };
  }
  return getters;
}

/** True when a generated client (or a `forAccount` result) refuses write actions (`readOnly: true`). */
export function clientIsReadOnly(client: unknown): boolean {
  const owner = typeof client === "object" && client !== null ? (client as Partial<Bound>)[CLIENT] : undefined;
  return owner?.readOnly === true;
}

/** Turns a generated app module's action specs into its client object. */

import type { ActionRunner, ActionSpec, CallOptions } from "./types.js";

/** One spec per client method: what a generated app module declares for `bindActions`. */
export type ActionSpecs<Client> = { readonly [Method in keyof Client]: ActionSpec };

type Method = (params?: object, options?: CallOptions) => Promise<unknown>;

/** Builds the client: one method per spec, each executing its action through `runner`. */
export function bindActions<Client>(runner: ActionRunner, specs: ActionSpecs<Client>): Client {
  const client: Record<string, Method> = {};
  for (const [name, spec] of Object.entries<ActionSpec>(specs)) {
    // Method names are plain identifiers chosen by the generator; defineProperty keeps even odd ones own data.
    Object.defineProperty(client, name, {
      value: ((params, options) => runner.run(spec, params, options)) satisfies Method,
      enumerable: true,
    });
  }
  return client as Client;
}

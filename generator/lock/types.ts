/** One entry of `GET /integration-schema/{slug}/actions`, kept exactly as returned. */
export interface RawActionEntry {
  action_id: string;
  name?: unknown;
  description?: unknown;
  tag?: unknown;
  [key: string]: unknown;
}

/** What the API answered for one app: its action list and each pulled action's parameter payload. */
export interface LockApp {
  /** sha256 over the app's actions and parameters in stable JSON, `sha256-<hex>`. */
  hash: string;
  /** The action list, sorted by `action_id`, each entry as returned. */
  actions: RawActionEntry[];
  /** Parameter payload per action id, exactly as the API returned it (an array, or `{ parameters: [...] }`). */
  parameters: Record<string, unknown>;
}

/** The lock file: everything generation needs, so that it is reproducible and works offline. */
export interface LockFile {
  lockfileVersion: 1;
  apps: Record<string, LockApp>;
}

/** What a pull produced for one app, before hashing and sorting. */
export interface PulledApp {
  actions: RawActionEntry[];
  parameters: Record<string, unknown>;
}

import { resolve } from "node:path";
import type { Dispatcher } from "undici";
import { loadConfig } from "./load.js";
import type { ResolvedConfig } from "./types.js";
import type { CredentialEnv } from "./credentials.js";
import type { ProgressEvent } from "../source/options.js";
import { CONFIG_DEFAULTS } from "./defaults.js";

/** Options shared by every programmatic command. */
export interface CommonOptions {
  /** Path of refold.codegen.json; default `refold.codegen.json` in `cwd`. */
  config?: string;
  cwd?: string;
  /** Where REFOLD_API_KEY, REFOLD_SESSION_TOKEN, REFOLD_BASE_URL and REFOLD_LINKED_ACCOUNT_ID are read; default process.env. */
  env?: CredentialEnv & { REFOLD_BASE_URL?: string | undefined; REFOLD_LINKED_ACCOUNT_ID?: string | undefined };
  /** An undici dispatcher for API calls (tests, proxies). */
  dispatcher?: Dispatcher;
  onProgress?: (event: ProgressEvent) => void;
}

/** Loads the config named by the options, relative to their `cwd`. */
export function loadProjectConfig(options: CommonOptions): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  return loadConfig(resolve(cwd, options.config ?? CONFIG_DEFAULTS.configFile), options.env ?? process.env);
}

import type { ActionKind } from "../../templates/runtime/types.js";

/** One configured app, normalized from a slug string or an object. */
export interface AppConfig {
  slug: string;
  include?: readonly string[];
  exclude?: readonly string[];
  /** Per-action overrides of the inferred kind. */
  kinds: Readonly<Record<string, ActionKind>>;
  /** Declared pagination by action id (config `pagination.<slug>`); absent when none is declared. */
  pagination?: Readonly<Record<string, PaginationConfig>>;
}

/**
 * One action's declared pagination (config `pagination.<slug>.<action_id>`), exactly one scheme of the three.
 * Paths are dotted and relative to the answer's `data`; `param`, `limit` name the action's parameters.
 */
export interface PaginationConfig {
  /** A cursor param in, the next cursor out (`paging.next.after`); no next cursor means the last page. */
  cursor?: { param: string; next: string; hasNext?: string };
  /** A page number param; the last page is told by a has-next flag, a page count, or an empty page. */
  page?: { param: string; hasNext?: string; count?: string; start?: number };
  /** An offset param (and the page size's param); the last page is told by a total, or an empty page. */
  offset?: { param: string; limit?: string; total?: string };
  /** Where the page's items are (an array). */
  items: string;
}

/** The config with defaults applied, paths made absolute and environment overrides in place. */
export interface ResolvedConfig {
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder relative paths resolve against. */
  rootDir: string;
  baseUrl: string;
  linkedAccountId?: string;
  /** Sorted by slug. */
  apps: readonly AppConfig[];
  /** Absolute output folder. */
  outputDir: string;
  /** Absolute lock file path. */
  lockfilePath: string;
  /** Absolute path of the results file (result shapes; absent file = no shapes). */
  resultsPath: string;
  concurrency: number;
  rateLimit: { perSecond: number; burst: number } | false;
  /** Extra output files besides the TypeScript clients (config `emit`). */
  emit: EmitConfig;
  /** `prettier`: format the output with the project's own prettier and config; `none`: our own layout. */
  format: "none" | "prettier";
}

/** Which optional output files to write; all false unless the config asks. */
export interface EmitConfig {
  /** `schemas/<app>.json`: tool definitions for LLMs (JSON Schema 2020-12 inputs). */
  schemas: boolean;
  /** `openapi.json`: an OpenAPI 3.1 document of the configured actions. */
  openapi: boolean;
  /** `mcp.ts` and `mcp/server.ts`: an MCP server with one tool per action (needs @modelcontextprotocol/sdk). */
  mcp: boolean;
}

/** What `init` writes as linkedAccountId when it knows none; a pull refuses it, naming the fix. */
export const LINKED_ACCOUNT_PLACEHOLDER = "<your linked account id>";

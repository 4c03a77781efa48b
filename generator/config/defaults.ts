/**
 * The config's defaults, in one place: config/load.ts applies them, the pull's client (source/options.ts) falls
 * back on them, and test/unit/defaults.test.ts holds config.schema.json's `default`s and the runtime's own
 * default base URL (templates/runtime/options.ts, which imports nothing) equal to them.
 */
export const CONFIG_DEFAULTS = {
  configFile: "refold.codegen.json",
  baseUrl: "https://app.refold.ai",
  output: "generated",
  lockfile: "refold.lock.json",
  results: "refold.results.json",
  concurrency: 8,
  /** Refold documents 20 requests a second with a burst of 5. */
  rateLimit: { perSecond: 20, burst: 5 },
  /** A declared `page` scheme's first page number when the params give none. */
  pageStart: 1,
} as const;

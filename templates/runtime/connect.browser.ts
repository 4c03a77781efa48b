/**
 * `connect.ts` in a bundle for the browser (mapped here by the output's package.json, as node.ts is): a browser's
 * fetch fails with no error code, so no failure can be known to have happened before the request was sent.
 */
export const CONNECT_FAILURES: ReadonlySet<string> = new Set();

/**
 * The error codes meaning a connection was never made, so the server cannot have seen the request: Node's and
 * undici's, and the names Bun's fetch gives them. A bundle for the browser takes `connect.browser.ts` instead
 * (the `browser` field of the output's package.json), as a browser's fetch names no code.
 */
export const CONNECT_FAILURES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
  "FailedToOpenSocket",
]);

/**
 * `abort.ts` in a bundle for the browser: the output's package.json maps `./runtime/abort.js` here in its
 * `browser` field, as it maps node.ts. A browser neither counts a signal's listeners nor warns about many, so
 * each call watches the signal with a listener of its own.
 */

/** Runs `callback` once when `signal` aborts; the returned function stops watching (always call it). */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  signal.addEventListener("abort", callback, { once: true });
  return () => signal.removeEventListener("abort", callback);
}

/**
 * Watches a caller's AbortSignal with one listener per signal, however many calls share it: a
 * fan-out of hundreds of calls on one signal would otherwise trip Node's MaxListeners warning.
 * A bundle for the browser, which warns about nothing of the kind, takes `abort.browser.ts` instead.
 */

interface Watch {
  readonly callbacks: Set<() => void>;
  readonly fire: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/** Runs `callback` once when `signal` aborts; the returned function stops watching (always call it). */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const fire = (): void => {
      watches.delete(signal);
      for (const run of callbacks) run();
      callbacks.clear();
    };
    watch = { callbacks, fire };
    watches.set(signal, watch);
    signal.addEventListener("abort", fire, { once: true });
  }
  const { callbacks, fire } = watch;
  callbacks.add(callback);
  return () => {
    // The last watcher to leave removes the listener, so a long-lived signal is left clean.
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    if (watches.get(signal)?.callbacks === callbacks) watches.delete(signal);
    signal.removeEventListener("abort", fire);
  };
}

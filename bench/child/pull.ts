/*
 * Runs the programmatic `pull()` in the current folder (a bench project whose config points at the
 * emulator through REFOLD_BASE_URL) and reports how long the pull itself took, import excluded.
 * Usage: node pull.js
 */
const t0 = performance.now();
const { pull } = await import("../../generator/index.js");
const importMs = performance.now() - t0;
const t1 = performance.now();
const result = await pull({});
const pullMs = performance.now() - t1;
process.stdout.write(
  `${JSON.stringify({
    importMs,
    pullMs,
    changes: result.diff.changes.length,
    warnings: result.diagnostics.filter((d) => d.severity === "warning").length,
  })}\n`,
);

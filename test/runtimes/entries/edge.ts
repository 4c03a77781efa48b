// Vercel edge-runtime entry: bundled by esbuild (condition edge-light) as a script that EdgeRuntime evaluates;
// the test then calls `globalThis.refoldProgram.run(options)` inside the runtime's context.
import { run } from "../program.js";

(globalThis as { refoldProgram?: unknown }).refoldProgram = { run };

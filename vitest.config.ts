import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Runs in projects without node_modules keep the generator's cache out of the user's home folder.
    env: { XDG_CACHE_HOME: join(tmpdir(), "refold-codegen-test-cache") },
  },
});

import { defineConfig } from "vitest/config";

const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "all", include: ["test/**/*.test.ts"] } },
      {
        // The runtime's behaviour tests again, over the fetch transport (test/runtime/fixtures.ts).
        test: {
          ...shared,
          name: "runtime-fetch",
          include: ["test/runtime/*.test.ts"],
          exclude: ["test/runtime/typecheck.test.ts", "test/runtime/platform.test.ts"],
          env: { REFOLD_TEST_TRANSPORT: "fetch" },
        },
      },
    ],
  },
});

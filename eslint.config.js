// ESLint over the repository's own code: ESLint's recommended rules and typescript-eslint's type-checked ones,
// with the types from the tsconfig.json nearest each file (projectService). Generated output is checked by its
// own tests and `generate --check`, never linted here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "**/node_modules/",
      "**/dist/",
      "**/generated/",
      "test/emit/snapshots/",
      ".tmp/",
      ".conformance-*/",
      "coverage/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Destructured this-free functions (node:path, ts.sys, the test fixtures' helpers) look like methods to it.
      "@typescript-eslint/unbound-method": "off",
      // Async callbacks that need no await still satisfy Promise-returning signatures (test setups, workers).
      "@typescript-eslint/require-await": "off",
      // String() of JSON values of unknown shape is deliberate: messages, cursors and fixtures print what came.
      "@typescript-eslint/no-base-to-string": "off",
      // The code escapes, rejects and strips control characters on purpose.
      "no-control-regex": "off",
      // `const { dropped: _dropped, ...rest } = value` is how a property is left out of a copy.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      // An abort rejects with the signal's reason, and caught values are rethrown, whatever the caller gave.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      "@typescript-eslint/only-throw-error": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read JSON answers (`JSON.parse`, the mock fixture's `json()`) untyped and let expect() check them.
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // `await using` on the client: its asyncDispose key comes from a conditional type (AsyncDisposableClient in
    // templates/runtime/types.ts) that the rule does not see through.
    files: ["examples/runtimes/**"],
    rules: { "@typescript-eslint/await-thenable": "off" },
  },
  {
    // These examples' types come from their own install and generate step, which CI runs after lint
    // (examples/monorepo/ci.sh and test/fleet/example.test.ts check them with tsc there).
    files: ["examples/monorepo/**", "examples/fleet/**"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);

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
    // The monorepo example's types come from its own install (examples/monorepo/ci.sh checks them there).
    files: ["examples/monorepo/**"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);

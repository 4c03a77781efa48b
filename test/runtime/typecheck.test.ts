import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const runtime = join(root, "templates", "runtime");
const tsc = join(root, "node_modules", ".bin", "tsc");

/** Typechecks the runtime exactly as a user's project would compile the copied files. */
function typecheck(compilerOptions: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "refold-runtime-tsc-"));
  try {
    const files = readdirSync(runtime)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(runtime, name));
    const config = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
        types: ["node"],
        typeRoots: [join(root, "node_modules", "@types")],
        ...compilerOptions,
      },
      files,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
    try {
      execFileSync(tsc, ["-p", join(dir, "tsconfig.json")], { cwd: root, encoding: "utf8" });
      return "";
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? error);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the runtime compiles as shipped", () => {
  it.each([
    ["Bundler resolution", { module: "ESNext", moduleResolution: "Bundler", target: "ES2022" }],
    ["NodeNext resolution", { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" }],
    // Users' projects may use an older lib; the runtime must not need newer built-ins.
    ["an ES2020 target and lib", { module: "ESNext", moduleResolution: "Bundler", target: "ES2020", lib: ["ES2020"] }],
  ])("under %s", (_name, options) => {
    expect(typecheck(options)).toBe("");
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const runtime = join(root, "templates", "runtime");
const tsc = join(root, "node_modules", ".bin", "tsc");

/** Typechecks the runtime exactly as a user's project would compile the copied files. */
function typecheck(compilerOptions: Record<string, unknown>, extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "refold-runtime-tsc-"));
  try {
    const files = readdirSync(runtime)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(runtime, name));
    files.push(writeConsumer(dir, extra));
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

/** A stand-in for the generated index, using the runtime exactly as the emitter will. */
function writeConsumer(dir: string, extra: string): string {
  const from = relative(dir, runtime).split("\\").join("/");
  const source = `
import { RefoldClient, type RefoldClientOptions } from "${from}/client.js";
import type { ActionRunner, ActionSpec, CallOptions } from "${from}/types.js";
import { RefoldError, runBulk, type RefoldBulkResult } from "${from}/index.js";
const spec: ActionSpec = { app: "hubspot", action: "create_contact", kind: "write", fields: [] };
const hubspot = (runner: ActionRunner) => ({
  createContact: (params: { email: string }, options?: CallOptions) => runner.run(spec, params, options),
});
export function createRefold(options: RefoldClientOptions) {
  const client = new RefoldClient(options);
  const apps = (runner: ActionRunner) => ({ hubspot: hubspot(runner) });
  return { ...apps(client), forAccount: (id: string) => apps(client.forAccount(id)) };
}
const refold = createRefold({ apiKey: "tk_test", readOnly: true });
// The platform's fetch, and a wrapper of it, fit the fetch option wherever fetch has types (DOM, workers, @types/node).
createRefold({ sessionToken: "token", fetch });
createRefold({ sessionToken: "token", fetch: (url, init) => fetch(url, init) });
${extra}
export const done: Promise<RefoldBulkResult<unknown>[]> = runBulk(["a"], (id) =>
  refold.forAccount(id).hubspot.createContact({ email: "e" }, { timeoutMs: 5 }).catch((e: unknown) => {
    if (e instanceof RefoldError) return e.attempts;
    throw e;
  }),
);
`;
  // Generated code is ESM; under NodeNext that needs the nearest package.json to say so.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  const file = join(dir, "consumer.ts");
  writeFileSync(file, source);
  return file;
}

describe("the runtime compiles as shipped", () => {
  it.each([
    ["Bundler resolution", { module: "ESNext", moduleResolution: "Bundler", target: "ES2022" }],
    ["NodeNext resolution", { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" }],
    // Users' projects may use an older lib; the runtime must not need newer built-ins.
    ["an ES2020 target and lib", { module: "ESNext", moduleResolution: "Bundler", target: "ES2020", lib: ["ES2020"] }],
    // A browser or a worker project has no Node types and no undici: the runtime needs neither.
    [
      "a browser project (DOM lib, no Node types)",
      { module: "ESNext", moduleResolution: "Bundler", target: "ES2022", lib: ["ES2022", "DOM"], types: [] },
    ],
    [
      "a worker project (WebWorker lib, no Node types)",
      { module: "ESNext", moduleResolution: "Bundler", target: "ES2022", lib: ["ES2022", "WebWorker"], types: [] },
    ],
  ])("under %s", (_name, options) => {
    expect(typecheck(options)).toBe("");
  });

  it("takes undici's Agent and MockAgent as the dispatcher, and refuses a fetch of the wrong shape", () => {
    const extra = `
import { Agent, MockAgent } from "undici";
createRefold({ apiKey: "k", dispatcher: new Agent() });
createRefold({ apiKey: "k", dispatcher: new MockAgent() });
// @ts-expect-error a fetch must take a URL and an init and resolve to a response
createRefold({ apiKey: "k", fetch: (url: number) => Promise.resolve(url) });
`;
    // The temporary project sits outside this repository: `paths` points it at our undici.
    const paths = { undici: [join(root, "node_modules", "undici", "index.d.ts")] };
    expect(typecheck({ module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", paths }, extra)).toBe("");
  });
});

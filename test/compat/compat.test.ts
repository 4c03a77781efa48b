// The generated code against the compilers and module systems users have: TypeScript 5.0 (the oldest we
// support), 5.9 and 7 (the native compiler); NodeNext, Node16 and Bundler resolution; ESM and CommonJS callers.
import { linkedProject } from "../helpers/project.js";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLock } from "../../generator/lock/read.js";
import { startMock, type MockServer } from "../../generator/mock/index.js";

const run = promisify(execFile);
const COMPILERS = {
  "5.0": resolve("test/compat/toolchains/node_modules/typescript-5.0/bin/tsc"),
  "5.9": resolve("node_modules/typescript/bin/tsc"),
  "7": resolve("test/compat/toolchains/node_modules/typescript-7/bin/tsc"),
} as const;
const RESOLUTIONS = {
  NodeNext: ["NodeNext", "NodeNext"],
  Node16: ["Node16", "Node16"],
  Bundler: ["ESNext", "Bundler"],
} as const;

const USAGE = `import { createRefold, type HubspotCreateContactParams } from "./out/index.js";
export const refold = createRefold({ apiKey: "tk_x", linkedAccountId: "a" });
export const ok: HubspotCreateContactParams = { email: "a@b.c", firstname: "A" };
// @ts-expect-error misspelt field
export const typo: HubspotCreateContactParams = { email: "a@b.c", firstnme: "A" };
export const call: Promise<unknown> = refold.jira.getCurrentUser();
`;

let dir: string;

async function tsc(
  compiler: keyof typeof COMPILERS,
  resolution: keyof typeof RESOLUTIONS,
  include: string[],
): Promise<void> {
  const [module, moduleResolution] = RESOLUTIONS[resolution];
  const compilerOptions = {
    target: "ES2022",
    module,
    moduleResolution,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  };
  const name = `tsconfig.${compiler}.${resolution}.json`;
  await writeFile(join(dir, name), JSON.stringify({ compilerOptions, include }));
  await run(process.execPath, [COMPILERS[compiler], "-p", name], { cwd: dir }).catch((error: { stdout?: string }) => {
    throw new Error(`TypeScript ${compiler} (${resolution}) failed:\n${error.stdout ?? String(error)}`);
  });
}

beforeAll(async () => {
  dir = await linkedProject("compat", { withGenerated: true, files: { "usage.ts": USAGE } });
});

describe.each(Object.keys(COMPILERS) as (keyof typeof COMPILERS)[])("TypeScript %s", (compiler) => {
  it.each(Object.keys(RESOLUTIONS) as (keyof typeof RESOLUTIONS)[])(
    "compiles the client and its usage under %s",
    async (resolution) => {
      await tsc(compiler, resolution, ["out/**/*.ts", "usage.ts"]);
    },
  );

  it("rejects a type error in the usage (the check can fail)", async () => {
    await writeFile(
      join(dir, `wrong-${compiler}.ts`),
      `import type { HubspotCreateContactParams } from "./out/index.js";\nexport const bad: HubspotCreateContactParams = { firstname: "A" };\n`,
    );
    await expect(tsc(compiler, "NodeNext", ["out/**/*.ts", `wrong-${compiler}.ts`])).rejects.toThrow(/email/);
  });
});

describe("CommonJS callers (require of ESM, Node 20.19+)", () => {
  let server: MockServer;

  beforeAll(async () => {
    const lock = await readLock("refold.lock.json");
    if (!lock) throw new Error("refold.lock.json is missing");
    server = await startMock({ apps: lock.apps, apiKey: "tk_compat" });
  });

  afterAll(async () => {
    await server?.close();
  });

  it("type-check a .cts file importing the client", async () => {
    await writeFile(
      join(dir, "main.cts"),
      `import client = require("./out/index.js");\nconst refold: client.Refold = client.createRefold({ apiKey: "k" });\nexport = refold;\n`,
    );
    await tsc("5.9", "NodeNext", ["out/**/*.ts", "main.cts"]);
  });

  it("require() the compiled client and call an action", async () => {
    await writeFile(
      join(dir, "tsconfig.emit.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: true,
          outDir: "js",
          rootDir: "out",
          types: ["node"],
        },
        include: ["out/**/*.ts"],
      }),
    );
    await run(process.execPath, [COMPILERS["5.9"], "-p", "tsconfig.emit.json"], { cwd: dir });
    await writeFile(
      join(dir, "main.cjs"),
      `const { createRefold, RefoldError } = require("./js/index.js");
const refold = createRefold({ apiKey: "tk_compat", baseUrl: process.argv[2], linkedAccountId: "cjs" });
refold.jira.getCurrentUser().then((data) => console.log(JSON.stringify({ data, error: typeof RefoldError })));
`,
    );
    const { stdout } = await run(process.execPath, ["main.cjs", server.url], { cwd: dir });
    expect(JSON.parse(stdout)).toMatchObject({
      data: { action: "jira.get_current_user", account: "cjs" },
      error: "function",
    });
  });
});

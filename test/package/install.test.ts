// A new user's path with the published package, as the README's quick start tells it: the packed tarball
// installed as a dev dependency into an empty project, `init`, `generate` against the emulator, a strict
// compile of a small app, running it; then a production install (dev dependencies left out) and running it
// again. Under npm, and under pnpm's strict layout, where an undeclared dependency fails loudly.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockServer } from "../../generator/mock/index.js";
import { sampleCatalog } from "../helpers/project.js";
import { mustRun, packTarball, ROOT, runIn, userEnv } from "./support.js";

const KEY = "tk_pack_0123456789abcdef";
const MINUTES = 60_000;

let server: MockServer;
let tarball: string;
const folders: string[] = [];

beforeAll(async () => {
  const { apps } = await sampleCatalog();
  server = await startMock({
    apps: { hubspot: apps["hubspot"]!, jira: apps["jira"]! },
    apiKey: KEY,
    accounts: ["acct-first", "acct-second"],
  });
  tarball = await packTarball();
  folders.push(join(tarball, ".."));
}, 2 * MINUTES);

afterAll(async () => {
  await server?.close();
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** How one package manager adds a dev dependency, runs a local bin and installs for production. */
interface Manager {
  name: string;
  env: NodeJS.ProcessEnv;
  addDev: (spec: string) => string[];
  exec: (...args: string[]) => string[];
  production: string[];
}

const APP = `import { createRefold, RefoldError } from "./generated/index.js";

const refold = createRefold({ apiKey: process.env["REFOLD_API_KEY"]!, baseUrl: process.env["REFOLD_BASE_URL"]! });
const account = refold.forAccount("acct-first");
const contact = await account.hubspot.createContact({ email: "jane@example.com", firstname: "Jane" });
// @ts-expect-error a misspelt field is a type error
void (() => account.hubspot.createContact({ email: "x", firstnme: "typo" }));
try {
  await account.jira.createIssue({} as never);
} catch (error) {
  if (!(error instanceof RefoldError)) throw error;
}
console.log(JSON.stringify(contact));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    outDir: "dist",
    types: ["node"],
    // The user's own TypeScript setup is not under test: this repository's compiler and Node types.
    typeRoots: [join(ROOT, "node_modules", "@types")],
  },
  include: ["app.ts", "generated/**/*.ts"],
};

/** Runs the new user's path with one package manager and returns each step's time in ms. */
async function newUserPath(manager: Manager): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    times[name] = Date.now() - started;
    return result;
  };
  const dir = await tempFolder(`refold-user-${manager.name}-`);
  const env = { ...manager.env, REFOLD_API_KEY: KEY, REFOLD_BASE_URL: server.url };
  await writeFile(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "new-user-app", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
  );
  await step("install", () => mustRun(dir, manager.addDev(tarball), manager.env));
  await step("init", () => mustRun(dir, manager.exec("refold-codegen", "init"), env));
  const config = JSON.parse(await readFile(join(dir, "refold.codegen.json"), "utf8")) as Record<string, unknown>;
  expect(config).toMatchObject({ baseUrl: server.url, linkedAccountId: "acct-first", apps: ["hubspot", "jira"] });
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Record<
    string,
    Record<string, string>
  >;
  expect(Object.keys(manifest["dependencies"] ?? {})).toEqual(["undici"]);
  expect(Object.keys(manifest["devDependencies"] ?? {})).toEqual(["refold-codegen"]);
  const generated = await step("generate", () => mustRun(dir, manager.exec("refold-codegen", "generate"), env));
  expect(generated.stderr).not.toMatch(/warning|error/i);
  expect(existsSync(join(dir, "generated", "hubspot.ts"))).toBe(true);
  await writeFile(join(dir, "app.ts"), APP);
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  await step("tsc", () =>
    mustRun(dir, [process.execPath, join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."]),
  );
  const runApp = async () => {
    const ran = await mustRun(dir, [process.execPath, join("dist", "app.js")], env);
    expect(JSON.parse(ran.stdout)).toMatchObject({ action: "hubspot.create_contact", account: "acct-first" });
  };
  await step("run", runApp);
  await rm(join(dir, "node_modules"), { recursive: true, force: true });
  await step("production install", () => mustRun(dir, manager.production, manager.env));
  expect(existsSync(join(dir, "node_modules", "refold-codegen")), "dev dependencies were left out").toBe(false);
  await step("run after production install", runApp);
  return times;
}

describe("the published package, installed as a new user does", () => {
  it(
    "works under npm: dev install, init, generate, strict compile, run; production install, run",
    async () => {
      const env = userEnv();
      const times = await newUserPath({
        name: "npm",
        env,
        addDev: (spec) => ["npm", "install", "--save-dev", spec, "--no-audit", "--no-fund"],
        exec: (...args) => ["npx", "--no", ...args],
        production: ["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"],
      });
      console.log(`[package] npm path: ${JSON.stringify(times)}`);
    },
    10 * MINUTES,
  );

  it(
    "works under pnpm's strict layout: dev install, init, generate, strict compile, run; production install, run",
    async () => {
      // pnpm from the registry, as a user would get it.
      const tools = await tempFolder("refold-pnpm-");
      await mustRun(tools, ["npm", "install", "--prefix", tools, "pnpm@10", "--no-audit", "--no-fund"]);
      const bin = join(tools, "node_modules", ".bin");
      const store = join(tools, "store");
      const env = userEnv({ PATH: `${bin}${delimiter}${process.env["PATH"] ?? ""}`, npm_config_store_dir: store });
      const pnpm = join(bin, "pnpm");
      const times = await newUserPath({
        name: "pnpm",
        env,
        addDev: (spec) => [pnpm, "add", "--save-dev", spec],
        exec: (...args) => [pnpm, "exec", ...args],
        production: [pnpm, "install", "--prod", "--frozen-lockfile"],
      });
      console.log(`[package] pnpm path: ${JSON.stringify(times)}`);
    },
    10 * MINUTES,
  );

  it(
    "imports the emulator's API from refold-codegen/mock, as the README shows",
    async () => {
      const dir = await tempFolder("refold-user-mock-");
      await writeFile(join(dir, "package.json"), JSON.stringify({ name: "mock-user", private: true, type: "module" }));
      await mustRun(dir, ["npm", "install", "--save-dev", tarball, "--no-audit", "--no-fund"]);
      const script = `import { startMock } from "refold-codegen/mock";
const server = await startMock({ apps: {}, accounts: ["a"] });
const answer = await fetch(server.url + "/api/v2/public/linked-account", { headers: { "x-api-key": "k" } });
console.log(JSON.stringify(await answer.json()));
await server.close();
`;
      await writeFile(join(dir, "mock.mjs"), script);
      const ran = await runIn(dir, [process.execPath, "mock.mjs"]);
      expect(ran.stderr).toBe("");
      expect(JSON.parse(ran.stdout)).toMatchObject({ docs: [{ account_id: "a" }] });
    },
    5 * MINUTES,
  );
});

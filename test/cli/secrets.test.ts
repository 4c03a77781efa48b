// The credentials never leave the environment: not printed (runCli rejects any output that contains them, in every
// test of this folder), not written to the lock or the generated files, even when the server echoes them back.
import { afterAll, describe, it } from "vitest";
import type { FaultRule } from "../../generator/mock/index.js";
import { allText, cleanup, configFor, emulator, KEY, output, parseJson, project, runCli } from "./cli-helpers.js";

afterAll(cleanup);

const TOKEN = "st_SESSION_fedcba9876543210";

interface SecretCase {
  name: string;
  args: string[];
  faults?: FaultRule[];
  env?: Record<string, string>;
  code: number;
}

const echo = (value: string) => ({ message: `the key ${value} is not allowed`, error_code: value, key: value });

const cases: SecretCase[] = [
  { name: "a successful pull and generate", args: ["generate"], code: 0 },
  { name: "a successful pull and generate, --json", args: ["generate", "--json"], code: 0 },
  { name: "pull --json", args: ["pull", "--json"], code: 0 },
  {
    name: "a session token instead of a key",
    args: ["generate", "--json"],
    env: { REFOLD_SESSION_TOKEN: TOKEN },
    code: 0,
  },
  {
    name: "a 401 whose body repeats the key",
    args: ["generate"],
    faults: [{ route: "list", app: "jira", status: 401, body: echo(KEY) }],
    code: 3,
  },
  {
    name: "a 5xx whose body repeats the key, --json",
    args: ["generate", "--json"],
    faults: [{ route: "schema", action: "create_contact", status: 500, retryAfter: 0, body: echo(KEY) }],
    code: 3,
  },
  {
    name: "an HTML page that repeats the key",
    args: ["generate"],
    faults: [
      {
        route: "schema",
        action: "get_issue",
        status: 502,
        raw: `<html><body>key=${KEY}</body></html>`,
        headers: { "content-type": "text/html" },
        retryAfter: 0,
      },
    ],
    code: 3,
  },
  {
    name: "a schema that contains the key",
    args: ["generate", "--json"],
    faults: [
      { route: "schema", action: "get_contact", raw: JSON.stringify([{ name: "token", label: KEY, type: "text" }]) },
    ],
    code: 3,
  },
  {
    name: "an action list that contains the key, through list --refresh --json",
    args: ["list", "jira", "--refresh", "--json"],
    faults: [
      { route: "list", app: "jira", raw: JSON.stringify([{ action_id: "get_x", name: "X", description: KEY }]) },
    ],
    code: 3,
  },
  {
    name: "a session token the server repeats",
    args: ["generate"],
    env: { REFOLD_SESSION_TOKEN: TOKEN },
    faults: [{ route: "list", app: "hubspot", status: 403, body: echo(TOKEN) }],
    code: 3,
  },
];

describe.concurrent("credentials are never printed nor written", () => {
  it.for(cases)("$name", async (testCase, { expect }) => {
    const server = await emulator(testCase.faults ? { faults: testCase.faults } : {});
    const dir = await project(configFor(server.url));
    const result = await runCli(testCase.args, { cwd: dir, env: testCase.env ?? { REFOLD_API_KEY: KEY } });
    expect(result.code, output(result)).toBe(testCase.code);
    if (testCase.args.includes("--json")) parseJson(result); // still one JSON document
    const files = await allText(dir);
    if (testCase.code === 0 && testCase.args[0] === "generate") expect(files).toContain("createRefold"); // output...
    expect(files).not.toContain(KEY); // ...without a credential, nor in the lock
    expect(files).not.toContain(TOKEN);
    // The emulator did receive the credential (so it was there to leak), but never logged it.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(server.requests)).not.toContain(KEY);
  });
});

describe("the leak detector of runCli", () => {
  it("rejects a run whose output contains the environment's credential", async ({ expect }) => {
    // "refold-codegen" is in every error message: used as the key, it must be reported as printed.
    const dir = await project(configFor("http://127.0.0.1:9"));
    await expect(runCli(["frobnicate"], { cwd: dir, env: { REFOLD_API_KEY: "refold-codegen" } })).rejects.toThrow(
      /printed a credential/,
    );
  });
});

// Failures of the CLI: usage and config errors exit 2, network and API errors exit 3, and neither changes a byte.
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { FaultRule } from "../../generator/mock/index.js";
import {
  catalog,
  cleanup,
  closedPort,
  configFor,
  emulator,
  KEY,
  output,
  parseJson,
  pick,
  project,
  runCli,
  snapshotTree,
  tempDir,
  writeConfig,
  writeLockFrom,
  type CliResult,
} from "./cli-helpers.js";

afterAll(cleanup);

const withKey = { REFOLD_API_KEY: KEY };

interface UsageCase {
  name: string;
  /** Prepares the project; returns the arguments to run. */
  setup: (dir: string, serverUrl: string) => Promise<string[]>;
  env?: Record<string, string>;
  /** Each must match stdout or stderr. */
  expected: RegExp[];
}

const usageCases: UsageCase[] = [
  {
    name: "an unknown config key: names its path and suggests the closest key",
    setup: async (dir, url) => {
      await writeConfig(
        dir,
        configFor(url, { apps: ["hubspot", { slug: "jira", incude: ["get_issue"] }], outptu: "x" }),
      );
      return ["generate"];
    },
    env: withKey,
    expected: [/apps\[1\]\.incude is not a known key; did you mean "include"\?/, /outptu .*did you mean "output"\?/],
  },
  {
    name: "a config value of the wrong type: names its path",
    setup: async (dir, url) => {
      await writeConfig(dir, configFor(url, { concurrency: "8" }));
      return ["generate", "--offline"];
    },
    expected: [/concurrency must be an integer, got a string/],
  },
  {
    name: "a config file that is not JSON",
    setup: async (dir) => {
      await writeFile(join(dir, "refold.codegen.json"), '{ "apps": ["hubspot",, }');
      return ["generate"];
    },
    env: withKey,
    expected: [/refold\.codegen\.json is not valid JSON/],
  },
  {
    name: "a missing config file",
    setup: async () => ["generate", "--config", "nowhere/refold.codegen.json"],
    env: withKey,
    expected: [/cannot read the config file .*nowhere[/\\]refold\.codegen\.json/],
  },
  {
    name: "--offline with a lock that does not cover the config: names the missing app",
    setup: async (dir) => {
      await writeLockFrom(dir, pick(await catalog(), "hubspot"));
      return ["generate", "--offline"];
    },
    env: withKey,
    expected: [/does not cover the config/, /app jira is not in the lock/],
  },
  {
    name: "--offline with a lock that lacks an included action: names it",
    setup: async (dir, url) => {
      await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
      await writeConfig(dir, configFor(url, { apps: [{ slug: "jira", include: ["get_issue", "get_sprint"] }] }));
      return ["generate", "--offline"];
    },
    expected: [/included action get_sprint is not in the lock/],
  },
  {
    name: "--check without a lock (it never pulls)",
    setup: async () => ["generate", "--check"],
    env: withKey,
    expected: [/there is no lock file yet/],
  },
  {
    name: "a damaged lock file: names it",
    setup: async (dir) => {
      await writeFile(join(dir, "refold.lock.json"), '{"lockfileVersion": 1, "apps": ');
      return ["generate"];
    },
    env: withKey,
    expected: [/lock file .*refold\.lock\.json is not valid JSON/],
  },
  {
    name: "no REFOLD_API_KEY when a pull is needed",
    setup: async () => ["generate"],
    expected: [/REFOLD_API_KEY/],
  },
  {
    name: "no REFOLD_API_KEY for `pull`",
    setup: async () => ["pull"],
    expected: [/REFOLD_API_KEY/],
  },
  {
    name: "no linkedAccountId with an API key",
    setup: async (dir, url) => {
      await writeConfig(dir, configFor(url, { linkedAccountId: undefined }));
      return ["generate"];
    },
    env: withKey,
    expected: [/linkedAccountId is required/],
  },
  {
    name: "the placeholder linkedAccountId that init writes when it knows no account",
    setup: async (dir, url) => {
      await writeConfig(dir, configFor(url, { linkedAccountId: "<your linked account id>" }));
      return ["generate"];
    },
    env: withKey,
    expected: [/placeholder `refold-codegen init` writes/, /REFOLD_LINKED_ACCOUNT_ID/],
  },
  {
    name: "an unknown command",
    setup: async () => ["frobnicate"],
    env: withKey,
    expected: [/frobnicate/, /--help/],
  },
  {
    name: "no command",
    setup: async () => [],
    expected: [/name a command/],
  },
  {
    name: "an unknown flag",
    setup: async () => ["generate", "--frobnicate"],
    env: withKey,
    expected: [/Unknown argument: frobnicate/],
  },
  {
    name: "--refresh with --offline",
    setup: async () => ["generate", "--refresh", "--offline"],
    env: withKey,
    expected: [/refresh and offline are mutually exclusive/],
  },
  {
    name: "`list` of an app the lock does not have, with --offline",
    setup: async (dir) => {
      await writeLockFrom(dir, pick(await catalog(), "hubspot"));
      return ["list", "slack", "--offline"];
    },
    env: withKey,
    expected: [/app slack is not in the lock file/],
  },
  {
    name: "`list` without its app",
    setup: async () => ["list"],
    expected: [/Not enough non-option arguments/],
  },
  {
    name: "`mock` with a faults file that does not exist",
    setup: async (dir) => {
      await writeLockFrom(dir, pick(await catalog(), "jira"));
      return ["mock", "--port", "0", "--lock", "refold.lock.json", "--faults", "faults.json"];
    },
    env: withKey,
    expected: [/cannot read faults file .*faults\.json/],
  },
  {
    name: "`mock` with a malformed --rate-limit",
    setup: async (dir) => {
      await writeLockFrom(dir, pick(await catalog(), "jira"));
      return ["mock", "--port", "0", "--lock", "refold.lock.json", "--rate-limit", "fast"];
    },
    env: withKey,
    expected: [/--rate-limit must look like <perSecond>\/<burst>/],
  },
  {
    name: "`mock` without a lock to serve",
    setup: async () => ["mock", "--port", "0"],
    env: withKey,
    expected: [/cannot read .*refold\.lock\.json to serve/],
  },
];

describe.concurrent("usage and config errors exit 2 and change nothing", () => {
  it.for(usageCases)("$name", async (testCase, { expect }) => {
    const server = await emulator();
    const dir = await project(configFor(server.url));
    const args = await testCase.setup(dir, server.url);
    const before = await snapshotTree(dir);
    const result = await runCli(args, { cwd: dir, env: testCase.env ?? {} });
    expect(result.code, output(result)).toBe(2);
    for (const pattern of testCase.expected) expect(output(result)).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    // Every error once: no line says again what another line says.
    const said = result.stderr
      .split("\n")
      .map((line) => line.replace(/^(refold-codegen|error|warning): /, "").trim())
      .filter((line) => line.length > 0);
    for (const [i, line] of said.entries())
      for (const [j, other] of said.entries()) if (i !== j) expect(other, result.stderr).not.toContain(line);
    expect(server.requests).toEqual([]); // not one request
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("--json: a config error is one JSON document with exitCode 2 and diagnostics", async ({ expect }) => {
    const dir = await project({ apps: ["hubspot"], outptu: "x" });
    const result = await runCli(["generate", "--json"], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    const doc = parseJson<{ ok: boolean; exitCode: number; diagnostics: { message: string }[] }>(result);
    expect(doc).toMatchObject({ ok: false, exitCode: 2 });
    expect(doc.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/outptu is not a known key/)]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface NetworkCase {
  name: string;
  faults?: FaultRule[];
  /** Default: the emulator's URL. */
  baseUrl?: () => Promise<string>;
  env?: Record<string, string>;
  /** Each must match stderr. */
  expected: RegExp[];
}

const schemaUrl = (app: string, action: string) =>
  new RegExp(`http://127\\.0\\.0\\.1:\\d+/api/v2/integration-schema/${app}/actions/${action}\\b`);

const networkCases: NetworkCase[] = [
  {
    name: "nothing listens at baseUrl",
    baseUrl: async () => `http://127.0.0.1:${await closedPort()}`,
    expected: [/ECONNREFUSED/, /app hubspot/, /app jira/, /check baseUrl/],
  },
  {
    name: "a wrong key (401): the hint names REFOLD_API_KEY",
    env: { REFOLD_API_KEY: "tk_WRONG_fedcba9876543210" },
    expected: [/401/, /fix: check REFOLD_API_KEY/],
  },
  {
    name: "the action list answers an HTML page",
    faults: [{ route: "list", app: "jira", html: true, status: 200 }],
    expected: [/app jira/, /HTML/, /jira\/actions\b/],
  },
  {
    name: "a schema answer cut in half",
    faults: [{ route: "schema", app: "jira", action: "create_issue", malformed: true }],
    expected: [/app jira, action create_issue/, schemaUrl("jira", "create_issue"), /not valid JSON/],
  },
  {
    name: "an empty schema answer",
    faults: [{ route: "schema", app: "hubspot", action: "get_contact", raw: "" }],
    expected: [/app hubspot, action get_contact/, schemaUrl("hubspot", "get_contact")],
  },
  {
    name: "a schema that is not a parameter list",
    faults: [{ route: "schema", app: "hubspot", action: "get_contact", raw: '{"hello":"world"}' }],
    expected: [/app hubspot, action get_contact/],
  },
  {
    name: "an app the API does not know (404)",
    faults: [{ route: "list", app: "jira", status: 404 }],
    expected: [/app jira/, /404/, /check the app slug "jira"/],
  },
  {
    name: "two different actions of two apps fail: both are reported",
    faults: [
      { route: "schema", app: "hubspot", action: "create_contact", status: 503, retryAfter: 0 },
      { route: "schema", app: "jira", action: "get_issue", malformed: true },
    ],
    expected: [
      /2 problems/,
      /app hubspot, action create_contact/,
      schemaUrl("hubspot", "create_contact"),
      /503/,
      /app jira, action get_issue/,
      schemaUrl("jira", "get_issue"),
    ],
  },
];

/** A project that a successful run has already written: a lock, and the output generated from it. */
let populated: string;
beforeAll(async () => {
  populated = await project(configFor("http://127.0.0.1:9"));
  const full = await catalog();
  const jira = full.apps["jira"]!;
  const included = ["add_comment", "create_issue", "get_issue"];
  jira.actions = jira.actions.filter((action) => included.includes(action.action_id));
  await writeLockFrom(populated, pick(full, "hubspot", "jira"));
  const result = await runCli(["generate", "--offline"], { cwd: populated, env: {} });
  if (result.code !== 0) throw new Error(`could not prepare the populated project:\n${output(result)}`);
});

/** A copy of the populated project, pointing at `baseUrl`. */
async function populatedCopy(baseUrl: string): Promise<string> {
  const dir = await tempDir();
  await cp(populated, dir, { recursive: true, filter: (source) => !source.endsWith("node_modules") });
  await writeConfig(dir, configFor(baseUrl));
  return dir;
}

describe.concurrent("network and API errors exit 3 and change nothing", () => {
  const runs = networkCases.flatMap((testCase) => [
    { ...testCase, state: "no lock yet" as const, args: ["generate"] },
    { ...testCase, state: "after a successful run" as const, args: ["generate", "--refresh"] },
  ]);

  it.for(runs)("$name ($state)", async (testCase, { expect }) => {
    const server = await emulator(testCase.faults ? { faults: testCase.faults } : {});
    const baseUrl = testCase.baseUrl ? await testCase.baseUrl() : server.url;
    const dir = testCase.state === "no lock yet" ? await project(configFor(baseUrl)) : await populatedCopy(baseUrl);
    const before = await snapshotTree(dir);
    const result = await runCli(testCase.args, { cwd: dir, env: testCase.env ?? { REFOLD_API_KEY: KEY } });
    expect(result.code, output(result)).toBe(3);
    expect(result.stderr).toMatch(/the lock file and the output are unchanged/);
    for (const pattern of testCase.expected) expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("a persistent 5xx on one action's schema names the app, the action and the URL (default retries)", async ({
    expect,
  }) => {
    const server = await emulator({
      faults: [{ route: "schema", app: "hubspot", action: "update_contact", status: 502 }],
    });
    const dir = await populatedCopy(server.url);
    const before = await snapshotTree(dir);
    const result = await runCli(["generate", "--refresh"], { cwd: dir, env: withKey });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/app hubspot, action update_contact/);
    expect(result.stderr).toMatch(schemaUrl("hubspot", "update_contact"));
    expect(result.stderr).toMatch(/502/);
    expect(result.stderr).toMatch(/after 5 attempts/);
    const attempts = server.requests.filter((entry) => entry.path.endsWith("/hubspot/actions/update_contact"));
    expect(attempts).toHaveLength(5);
    expect(await snapshotTree(dir)).toEqual(before);
    // Four retries with full-jitter backoff (250 ms base, doubling): at most 3.75 s of waiting.
    console.info(`persistent 502 with the default retries: ${result.ms} ms`);
  });

  it("pull and list fail the same way (exit 3, nothing written)", async ({ expect }) => {
    const server = await emulator({ faults: [{ route: "list", status: 500, retryAfter: 0 }] });
    const dir = await populatedCopy(server.url);
    const before = await snapshotTree(dir);
    const results: CliResult[] = [
      await runCli(["pull"], { cwd: dir, env: withKey }),
      await runCli(["list", "hubspot", "--refresh"], { cwd: dir, env: withKey }),
      await runCli(["list", "slack"], { cwd: dir, env: withKey }),
    ];
    for (const result of results) {
      expect(result.code, output(result)).toBe(3);
      expect(result.stderr).toMatch(/500/);
    }
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it("--json: a failed pull is one JSON document with exitCode 3 and every diagnostic", async ({ expect }) => {
    const server = await emulator({
      faults: [
        { route: "schema", app: "hubspot", action: "create_contact", status: 503, retryAfter: 0 },
        { route: "schema", app: "jira", action: "get_issue", html: true },
      ],
    });
    const dir = await project(configFor(server.url));
    const result = await runCli(["generate", "--json"], { cwd: dir, env: withKey });
    expect(result.code).toBe(3);
    const doc = parseJson<{ ok: boolean; exitCode: number; diagnostics: Record<string, unknown>[] }>(result);
    expect(doc).toMatchObject({ ok: false, exitCode: 3 });
    expect(doc.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: "error",
          app: "hubspot",
          action: "create_contact",
          status: 503,
          url: expect.stringMatching(schemaUrl("hubspot", "create_contact")),
        }),
        expect.objectContaining({ severity: "error", app: "jira", action: "get_issue" }),
      ]),
    );
    expect(await snapshotTree(dir)).toEqual({
      "package.json": expect.any(String),
      "refold.codegen.json": expect.any(String),
      "src/": "<dir>",
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Product bugs found by these tests, kept as regression tests now that they are fixed.

describe.concurrent("problems found by these tests, now fixed", () => {
  it("an output path that is a regular file is a usage error (exit 2), not an internal crash (exit 1)", async ({
    expect,
  }) => {
    // Was (fixed): exit 1 (the code --check uses for "stale") and a raw ENOTDIR stack trace on stderr.
    const dir = await project(configFor("http://127.0.0.1:9", { apps: ["jira"], output: "out" }));
    await writeLockFrom(dir, pick(await catalog(), "jira"));
    await writeFile(join(dir, "out"), "a file where the output folder should be\n");
    const result = await runCli(["generate", "--offline"], { cwd: dir, env: {} });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(2);
  });

  it("a lock file inside the output folder is refused up front, or works on the next run", async ({ expect }) => {
    // Was (fixed): the first run succeeds and writes the lock into the output folder; from then on `generate --check`
    // always exits 1 ("extra refold.lock.json") and `generate` always exits 2 (a file it did not write).
    const server = await emulator();
    const dir = await project(
      configFor(server.url, { apps: ["jira"], output: "out", lockfile: "out/refold.lock.json" }),
    );
    const first = await runCli(["generate"], { cwd: dir, env: withKey });
    if (first.code === 2) return; // refused up front: fine
    expect(first.code).toBe(0);
    const check = await runCli(["generate", "--check"], { cwd: dir, env: {} });
    expect(check.code, output(check)).toBe(0);
  });

  it("generate --check --refresh exits 2", async ({ expect }) => {
    const dir = await project(configFor("http://127.0.0.1:9"));
    await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
    const result = await runCli(["generate", "--check", "--refresh"], { cwd: dir, env: withKey });
    expect(result.code).toBe(2);
  });

  it("generate --check --refresh explains that the flags conflict", async ({ expect }) => {
    // Was (fixed): "the lock file ... does not cover the config:" followed by an empty list of reasons.
    const dir = await project(configFor("http://127.0.0.1:9"));
    await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
    const result = await runCli(["generate", "--check", "--refresh"], { cwd: dir, env: withKey });
    expect(result.stderr).toMatch(/refresh and check are mutually exclusive/);
  });

  it("the fix hint of a usage error is printed (here: how to set REFOLD_API_KEY)", async ({ expect }) => {
    // Was (fixed): the hint is in --json output only: the CLI skips a diagnostic whose message equals the summary,
    // and its hint with it (same for a missing config file, a stale lock and a foreign output folder).
    const dir = await project(configFor("http://127.0.0.1:9"));
    const result = await runCli(["generate"], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/export REFOLD_API_KEY/);
  });

  it("--json still prints a JSON document when the arguments themselves are wrong", async ({ expect }) => {
    // Was (fixed): yargs' failure handler prints text on stderr and nothing on stdout.
    const dir = await tempDir();
    const result = await runCli(["generate", "--json", "--refresh", "--offline"], { cwd: dir, env: {} });
    expect(result.code).toBe(2);
    expect(parseJson(result)).toMatchObject({ exitCode: 2 });
  });
});

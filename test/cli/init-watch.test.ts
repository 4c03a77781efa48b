import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ACCOUNT,
  CLI,
  KEY,
  cleanup,
  cliEnv,
  configFor,
  emulator,
  parseJson,
  project,
  runCli,
  tempDir,
  writeLockFrom,
  catalog,
  pick,
} from "./cli-helpers.js";

afterAll(cleanup);

describe("init", () => {
  it("fills apps from the org's app list (connected first) and adds the generate script when asked", async () => {
    const server = await emulator();
    const dir = await tempDir();
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "svc", private: true }));
    const env = { REFOLD_API_KEY: KEY, REFOLD_BASE_URL: server.url, REFOLD_LINKED_ACCOUNT_ID: ACCOUNT };
    const result = await runCli(["init", "--add-script", "--no-install", "--json"], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(parseJson(result)).toMatchObject({ source: "api", scriptAdded: true, runtimeDependency: "written" });
    const config = JSON.parse(await readFile(join(dir, "refold.codegen.json"), "utf8")) as Record<string, unknown>;
    expect(config["apps"]).toEqual(["google-sheets", "hubspot", "jira", "salesforce", "slack"]);
    expect(config["$schema"]).toMatch(/config\.schema\.json$/);
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(JSON.parse(await readFile(join(dir, "package.json"), "utf8"))).toMatchObject({
      scripts: { generate: "refold-codegen generate" },
      dependencies: { undici: expect.stringMatching(/^\^7\./) },
    });
    expect(server.requests.map((r) => r.path)).toEqual(["/api/v2/public/application"]);
  });

  it("takes the org's first linked account with an API key, and --linked-account-id over the environment", async () => {
    const server = await emulator({ accounts: ["acct-org-first", "acct-org-second"] });
    const dir = await tempDir();
    const env = { REFOLD_API_KEY: KEY, REFOLD_BASE_URL: server.url };
    const result = await runCli(["init", "--json"], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({ linkedAccountId: "acct-org-first", linkedAccountSource: "api" });
    const config = JSON.parse(await readFile(join(dir, "refold.codegen.json"), "utf8")) as Record<string, unknown>;
    expect(config["linkedAccountId"]).toBe("acct-org-first");
    const [accounts, apps] = server.requests;
    expect(accounts?.path).toBe("/api/v2/public/linked-account");
    expect(accounts?.headers["linked_account_id"]).toBeUndefined();
    expect(apps?.headers["linked_account_id"]).toBe("acct-org-first");
    const chosen = await runCli(["init", "--force", "--linked-account-id", "acct-flag", "--json"], {
      cwd: dir,
      env: { ...env, REFOLD_LINKED_ACCOUNT_ID: "acct-env" },
    });
    expect(parseJson(chosen)).toMatchObject({ linkedAccountId: "acct-flag", linkedAccountSource: "option" });
  });

  it("falls back to placeholders, warning, when the server cannot list the org's linked accounts", async () => {
    const server = await emulator({ faults: [{ route: "linkedAccounts", status: 404 }] });
    const dir = await tempDir();
    const result = await runCli(["init"], { cwd: dir, env: { REFOLD_API_KEY: KEY, REFOLD_BASE_URL: server.url } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: .*404[\s\S]*placeholder/);
    const config = JSON.parse(await readFile(join(dir, "refold.codegen.json"), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({ apps: ["hubspot"], linkedAccountId: "<your linked account id>" });
    // The app list needs a linked account with an API key: not asked without one.
    expect(server.requests.map((r) => r.path)).toEqual(["/api/v2/public/linked-account"]);
  });

  it("writes a placeholder without credentials, and never overwrites without --force", async () => {
    const dir = await tempDir();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const first = await readFile(join(dir, "refold.codegen.json"), "utf8");
    expect(JSON.parse(first)).toMatchObject({
      apps: ["hubspot"],
      linkedAccountId: "<your linked account id>",
      output: "generated",
      lockfile: "refold.lock.json",
    });
    await writeFile(join(dir, "refold.codegen.json"), '{ "apps": ["mine"] }');
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists[\s\S]*--force/);
    expect(await readFile(join(dir, "refold.codegen.json"), "utf8")).toBe('{ "apps": ["mine"] }');
    expect((await runCli(["init", "--force"], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, "refold.codegen.json"), "utf8")).toBe(first);
  });

  it("exits 3 with a hint when the key is refused", async () => {
    const server = await emulator();
    const dir = await tempDir();
    const env = { REFOLD_API_KEY: "tk_wrong_key_123", REFOLD_BASE_URL: server.url, REFOLD_LINKED_ACCOUNT_ID: ACCOUNT };
    const result = await runCli(["init"], { cwd: dir, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/REFOLD_API_KEY/);
  });
});

describe("generate --verbose and --watch", () => {
  it("--verbose prints the time of each stage", async () => {
    const dir = await project(configFor("http://127.0.0.1:9", { apps: ["jira"] }));
    await writeLockFrom(dir, pick(await catalog(), "jira"));
    const result = await runCli(["generate", "--offline", "--verbose"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /read\s+[\d.]+ ms[\s\S]*render\s+[\d.]+ ms[\s\S]*write\s+[\d.]+ ms[\s\S]*total\s+[\d.]+ ms/,
    );
  });

  it("--watch regenerates when the config changes, reports a broken config and goes on", async () => {
    const dir = await project(configFor("http://127.0.0.1:9", { apps: ["jira"] }));
    await writeLockFrom(dir, pick(await catalog(), "hubspot", "jira"));
    const child = spawn(process.execPath, [CLI, "generate", "--watch", "--offline"], { cwd: dir, env: cliEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const waitFor = async (test: () => boolean, refresh: () => Promise<void> = async () => undefined) => {
      for (let i = 0; i < 200 && !test(); i++) {
        await new Promise((r) => setTimeout(r, 50));
        await refresh();
      }
      expect(test(), `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
    };
    try {
      await waitFor(() => stderr.includes("watching"));
      await waitFor(() => stdout.includes("jira.ts"));
      await writeFile(join(dir, "refold.codegen.json"), "{ not json");
      await waitFor(() => stderr.includes("not valid JSON"));
      await writeFile(
        join(dir, "refold.codegen.json"),
        JSON.stringify(configFor("http://127.0.0.1:9", { apps: ["hubspot", "jira"] })),
      );
      await waitFor(() => stdout.includes("hubspot.ts"));
      expect(await readFile(join(dir, "generated", "hubspot.ts"), "utf8")).toContain("createContact");
      // A recorded result shape (record writes the results file) regenerates too.
      const results = {
        resultsVersion: 1,
        apps: { hubspot: { get_contact: { samples: 1, schema: { type: "string" } } } },
      };
      await writeFile(join(dir, "refold.results.json"), JSON.stringify(results));
      let module = "";
      await waitFor(
        () => module.includes("HubspotGetContactResult"),
        async () => {
          module = await readFile(join(dir, "generated", "hubspot.ts"), "utf8").catch(() => "");
        },
      );
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });
});

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveConfig } from "../../generator/config/load.js";
import { CodegenError } from "../../generator/util/diagnostics.js";

async function failure(raw: unknown): Promise<CodegenError> {
  try {
    await resolveConfig(raw, "/project/refold.codegen.json");
  } catch (error) {
    if (error instanceof CodegenError) return error;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("config validation", () => {
  const cases: [string, unknown, string][] = [
    [
      "unknown top-level key, with suggestion",
      { apps: ["hubspot"], ouput: "x" },
      'ouput is not a known key; did you mean "output"?',
    ],
    [
      "unknown app key, with suggestion",
      { apps: [{ slug: "hubspot", incude: ["a"] }] },
      'apps[0].incude is not a known key; did you mean "include"?',
    ],
    ["unknown key, nothing close", { apps: ["a"], zzzzzzzzzz: 1 }, "zzzzzzzzzz is not a known key"],
    ["missing apps", {}, "apps is required"],
    ["apps of the wrong type", { apps: "hubspot" }, "apps must be an array, got a string"],
    ["app entry of the wrong type", { apps: [42] }, "apps[0] must be a string or an object, got a number"],
    [
      "include of the wrong type",
      { apps: [{ slug: "a", include: "x" }] },
      "apps[0].include must be an array, got a string",
    ],
    [
      "bad kind override",
      { apps: [{ slug: "a", kinds: { x: "delete" } }] },
      'apps[0].kinds.x must be one of "read", "write"',
    ],
    ["empty slug", { apps: [""] }, "apps[0] must not be empty"],
    ["baseUrl not a string", { apps: ["a"], baseUrl: 1 }, "baseUrl must be a string, got a number"],
    ["duplicate slug", { apps: ["a", { slug: "a" }] }, 'apps[1] lists "a" a second time'],
    ["concurrency too small", { apps: ["a"], concurrency: 0 }, "concurrency must be at least 1"],
    ["rateLimit true", { apps: ["a"], rateLimit: true }, "rateLimit must be false or an object, got a boolean"],
    ["not an object", [], "the config must be an object, got an array"],
    [
      "lock inside the output",
      { apps: ["a"], output: "out", lockfile: "out/refold.lock.json" },
      "lockfile must not be inside the output folder (refold-codegen owns the output folder)",
    ],
    [
      "output is the project folder",
      { apps: ["a"], output: "." },
      "output must not be the folder that holds the config file (refold-codegen owns the output folder)",
    ],
  ];
  it.each(cases)("%s", async (_name, raw, message) => {
    const error = await failure(raw);
    expect(error.exitCode).toBe(2);
    expect(error.diagnostics.map((d) => d.message)).toContain(message);
  });

  it("reports every problem at once", async () => {
    const error = await failure({ apps: [1, { slug: "b", x: 1 }], output: 3 });
    expect(error.diagnostics).toHaveLength(3);
  });
});

describe("config resolution", () => {
  it("applies defaults, sorts apps and resolves paths against the config folder", async () => {
    const config = await resolveConfig(
      { apps: ["slack", { slug: "hubspot", include: ["get_contact"] }] },
      "/p/refold.codegen.json",
    );
    expect(config).toMatchObject({
      baseUrl: "https://app.refold.ai",
      outputDir: "/p/generated",
      lockfilePath: "/p/refold.lock.json",
      concurrency: 8,
      rateLimit: { perSecond: 20, burst: 5 },
    });
    expect(config.apps.map((app) => app.slug)).toEqual(["hubspot", "slack"]);
    expect(config.apps[0]?.include).toEqual(["get_contact"]);
  });

  it("lets the environment override the base URL and linked account", async () => {
    const config = await resolveConfig(
      { apps: ["a"], baseUrl: "https://x.test/", linkedAccountId: "cfg" },
      "/p/c.json",
      {
        REFOLD_BASE_URL: "http://127.0.0.1:4010/",
        REFOLD_LINKED_ACCOUNT_ID: "env",
      },
    );
    expect(config.baseUrl).toBe("http://127.0.0.1:4010");
    expect(config.linkedAccountId).toBe("env");
  });

  it("names the file and the JSON problem for a syntax error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "refold-config-"));
    const path = join(dir, "refold.codegen.json");
    await writeFile(path, "{ apps: [] ");
    await expect(loadConfig(path)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(path) });
    await expect(loadConfig(join(dir, "missing.json"))).rejects.toMatchObject({ exitCode: 2 });
  });
});

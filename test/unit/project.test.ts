import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addRuntimeCommand, packageManagerOf, runtimeDependencyProblems } from "../../generator/config/project.js";

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A project folder holding `files` (path -> content), with an output folder `generated/` inside it. */
async function projectWith(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "refold-project-"));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

describe("runtimeDependencyProblems: does the package that owns the output depend on undici?", () => {
  const cases: [string, Record<string, unknown>, RegExp | undefined][] = [
    ["in dependencies", { "package.json": { dependencies: { undici: "^7" } } }, undefined],
    ["in peerDependencies", { "package.json": { peerDependencies: { undici: "^7" } } }, undefined],
    ["only in devDependencies", { "package.json": { devDependencies: { undici: "^7" } } }, /only in devDependencies/],
    ["not at all, other dependencies", { "package.json": { dependencies: { zod: "^3" } } }, /does not list undici/],
    ["no dependency fields at all", { "package.json": { type: "module" } }, /declares no dependencies/],
    // A Cloudflare Worker sends over fetch: undici would be no use there.
    ["a Worker project", { "package.json": { devDependencies: { wrangler: "^4" } } }, undefined],
    // The output's own package.json (ours) is not the owner: the one above it is.
    [
      "owner above the output's own manifest",
      { "package.json": { devDependencies: {} }, "generated/package.json": { dependencies: { undici: "^7" } } },
      /does not list undici/,
    ],
  ];
  it.each(cases)("%s", async (_name, files, message) => {
    const dir = await projectWith(files);
    const problems = runtimeDependencyProblems(join(dir, "generated"), { mcp: false });
    if (message === undefined) return expect(problems).toEqual([]);
    // A warning, never an error: without undici the client still runs, over Node's fetch.
    expect(problems).toEqual([
      expect.objectContaining({ severity: "warning", message: expect.stringMatching(message) }),
    ]);
    expect(problems[0]?.hint).toMatch(/npm install undici@\^7/);
  });
});

describe("packageManagerOf", () => {
  it("believes the package manager running us, else the nearest lock file, else npm", async () => {
    const dir = await projectWith({ "pnpm-lock.yaml": "", "packages/api/package.json": {} });
    const inner = join(dir, "packages", "api");
    expect(packageManagerOf(inner, { npm_config_user_agent: "yarn/4.5.0 npm/? node/v20.20.2" })).toBe("yarn");
    expect(packageManagerOf(inner, {})).toBe("pnpm");
    expect(packageManagerOf(await projectWith({}), {})).toBe("npm");
    expect(addRuntimeCommand("npm")).toEqual(["npm", "install", "--save", expect.stringMatching(/^undici@\^7\./)]);
    expect(addRuntimeCommand("pnpm")).toEqual(["pnpm", "add", expect.stringMatching(/^undici@/)]);
  });
});

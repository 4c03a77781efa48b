// The no-op cache as the CLI meets it in odd environments: it may turn itself off, never fail a run.
import { statSync } from "node:fs";
import { chmod } from "node:fs/promises";
import { dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheFolder } from "../../generator/cache/folder.js";
import { CLI, catalog, cleanup, pick, runCli, tempDir, writeConfig, writeLockFrom } from "./cli-helpers.js";

afterAll(cleanup);

const isRoot = process.getuid?.() === 0;

/** True when another user can read `file`: every folder above it searchable, the file readable, by others. */
function readableByOthers(file: string): boolean {
  for (let path = file; ; path = dirname(path)) {
    const mode = statSync(path).mode;
    if ((mode & (path === file ? 0o004 : 0o001)) === 0) return false;
    if (dirname(path) === path) return true;
  }
}

describe("generate's cache", () => {
  // A user without a home folder: no HOME, and no passwd entry to find one in (containers run so).
  // The run needs a user other than root; it can only read the built CLI where the clone is readable to all
  // (test/unit/cache-folder.test.ts covers the same case without a second user, everywhere).
  it.skipIf(!isRoot || !readableByOthers(CLI))("does not fail a run when there is no folder for it", async () => {
    const dir = await tempDir();
    // The cache would go to node_modules/.cache of a folder up from the project, and never look for a home.
    if (cacheFolder(dir, {})?.includes("node_modules")) return;
    await writeConfig(dir, { apps: ["hubspot"] });
    await writeLockFrom(dir, pick(await catalog(), "hubspot"));
    await chmod(dir, 0o777);
    const user = { uid: 54_321, gid: 54_321 };
    const env = { HOME: undefined, XDG_CACHE_HOME: undefined };
    for (let run = 0; run < 2; run++) {
      const result = await runCli(["generate", "--offline"], { cwd: dir, env, user });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
  });
});

import { mkdir, mkdtemp } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheFolder } from "../../generator/cache/folder.js";

describe("cacheFolder", () => {
  it("takes REFOLD_CODEGEN_CACHE_DIR as it is, and `off` turns the cache off", () => {
    expect(cacheFolder("/anywhere", { REFOLD_CODEGEN_CACHE_DIR: "/my/cache", XDG_CACHE_HOME: "/x" })).toBe("/my/cache");
    expect(cacheFolder("/anywhere", { REFOLD_CODEGEN_CACHE_DIR: "off" })).toBeUndefined();
  });

  it("uses node_modules/.cache of the nearest folder up that has node_modules", async () => {
    const root = await mkdtemp(join(tmpdir(), "refold-cache-folder-"));
    const project = join(root, "packages", "api");
    await mkdir(join(root, "node_modules"), { recursive: true });
    await mkdir(project, { recursive: true });
    const expected = join(root, "node_modules", ".cache", "refold-codegen");
    expect(cacheFolder(project, { XDG_CACHE_HOME: "/x" })).toBe(expected);
    await mkdir(join(project, "node_modules"));
    expect(cacheFolder(project, {})).toBe(join(project, "node_modules", ".cache", "refold-codegen"));
  });

  it("falls back to the user's cache folder when no folder up has node_modules", async () => {
    const root = await mkdtemp(join(tmpdir(), "refold-cache-folder-"));
    // tmpdir() itself may sit below a node_modules on some machine; the test needs one that does not.
    if (cacheFolder(root, {})?.includes("node_modules")) return;
    expect(cacheFolder(root, { XDG_CACHE_HOME: "/xdg" })).toBe(join("/xdg", "refold-codegen"));
    if (process.platform === "linux") expect(cacheFolder(root, {})).toBe(join(homedir(), ".cache", "refold-codegen"));
  });

  it("turns the cache off, rather than fail, when the user has no home folder", async () => {
    const root = await mkdtemp(join(tmpdir(), "refold-cache-folder-"));
    if (cacheFolder(root, {})?.includes("node_modules")) return;
    // What os.homedir() does with no HOME and no passwd entry (a container run as an arbitrary uid).
    const noHome = () => {
      throw new Error("ENOENT: no such file or directory, uv_os_homedir");
    };
    expect(cacheFolder(root, {}, noHome)).toBeUndefined();
    expect(cacheFolder(root, { XDG_CACHE_HOME: "/xdg" }, noHome)).toBe(join("/xdg", "refold-codegen"));
  });
});

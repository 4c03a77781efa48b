import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_HEADER } from "../../generator/emit/header.js";
import { CodegenError } from "../../generator/util/diagnostics.js";
import { checkOutput, writeOutput } from "../../generator/write/output.js";

const file = (body: string) => `${GENERATED_HEADER}\n${body}\n`;

async function tempOut(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "refold-write-")), "out");
}

/** Every entry below `dir` (files and folders) with what a watcher or a build tool would notice of it. */
async function listing(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const info = await stat(join(dir, name));
    entries[name] = info.isDirectory() ? "dir" : `${info.size} ${info.mtimeMs} ${info.ino}`;
  }
  return entries;
}

describe("writeOutput", () => {
  it("writes only the files whose bytes changed; the others keep their bytes, inode and mtime", async () => {
    const dir = await tempOut();
    await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a")],
        ["b.ts", file("b")],
        ["runtime/x.ts", file("x")],
      ]),
    );
    // Times in the past, so that a rewrite of the same bytes would show.
    for (const path of ["a.ts", "b.ts", "runtime/x.ts"]) await utimes(join(dir, path), 1_000_000, 1_000_000);
    const before = await listing(dir);
    const diff = await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a2")],
        ["b.ts", file("b")],
        ["runtime/x.ts", file("x")],
      ]),
    );
    expect(diff).toEqual({ changed: ["a.ts"], added: [], removed: [] });
    const after = await listing(dir);
    expect(after["b.ts"]).toBe(before["b.ts"]);
    expect(after["runtime/x.ts"]).toBe(before["runtime/x.ts"]);
    expect(after["a.ts"]).not.toBe(before["a.ts"]);
    expect(await readFile(join(dir, "a.ts"), "utf8")).toBe(file("a2"));
  });

  it("deletes the generated files no longer produced, and the folders they leave empty; leaves others' files alone", async () => {
    const dir = await tempOut();
    await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a")],
        ["schemas/a.json", file("{}")],
        ["extra/b.ts", file("b")],
      ]),
    );
    await writeFile(join(dir, "extra", "notes.md"), "mine");
    const diff = await writeOutput(dir, new Map([["a.ts", file("a")]]));
    expect(diff).toEqual({ changed: [], added: [], removed: ["extra/b.ts", "schemas/a.json"] });
    expect(Object.keys(await listing(dir))).toEqual(["a.ts", "extra", "extra/notes.md"]);
  });

  it("refuses to replace a file it did not write, and then writes nothing at all", async () => {
    const dir = await tempOut();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "index.ts"), "// my own index\n");
    const before = await listing(dir);
    const error = await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a")],
        ["index.ts", file("i")],
      ]),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringContaining("index.ts") });
    expect(await listing(dir)).toEqual(before);
  });

  it("four runs at once over the same new files all succeed and leave exactly those files", async () => {
    const dir = await tempOut();
    const old = new Map(Array.from({ length: 30 }, (_, i) => [`m${i}.ts`, file(`old ${i}`)] as const));
    await writeOutput(dir, new Map([...old, ["gone.ts", file("gone")]]));
    const next = new Map(
      Array.from({ length: 30 }, (_, i) => [`m${i}.ts`, file(`new ${i}`.repeat(1 + (i % 7)))] as const),
    );
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => writeOutput(dir, next)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect((await readdir(dir)).sort()).toEqual([...next.keys()].sort());
    for (const [path, content] of next) expect(await readFile(join(dir, path), "utf8")).toBe(content);
  });

  it("removes a temporary file a crashed run left long ago; ignores a fresh one, which may be another run's", async () => {
    const dir = await tempOut();
    await writeOutput(dir, new Map([["a.ts", file("a")]]));
    await writeFile(join(dir, ".a.ts.refold-0123abcd.tmp"), file("half"));
    await utimes(join(dir, ".a.ts.refold-0123abcd.tmp"), 1_000_000, 1_000_000);
    await writeFile(join(dir, ".a.ts.refold-89abcdef.tmp"), file("in flight"));
    expect(await checkOutput(dir, new Map([["a.ts", file("a")]]))).toEqual({ changed: [], added: [], removed: [] });
    await writeOutput(dir, new Map([["a.ts", file("a")]]));
    expect((await readdir(dir)).sort()).toEqual([".a.ts.refold-89abcdef.tmp", "a.ts"]);
  });
});

describe("checkOutput", () => {
  it("lists changed, missing and extra files, and creates, changes or removes nothing anywhere", async () => {
    const dir = await tempOut();
    await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a")],
        ["b.ts", file("b")],
      ]),
    );
    const parent = join(dir, "..");
    const before = await listing(parent);
    const diff = await checkOutput(
      dir,
      new Map([
        ["a.ts", file("a*")],
        ["c.ts", file("c")],
      ]),
    );
    expect(diff).toEqual({ changed: ["a.ts"], added: ["c.ts"], removed: ["b.ts"] });
    expect(await listing(parent)).toEqual(before);
  });

  it("finds a missing output folder stale without creating it", async () => {
    const dir = await tempOut();
    expect(await checkOutput(dir, new Map([["a.ts", file("a")]]))).toEqual({
      changed: [],
      added: ["a.ts"],
      removed: [],
    });
    expect(await readdir(join(dir, ".."))).toEqual([]);
  });
});

describe("many files", () => {
  it("are written and rewritten under a small open-file limit", async () => {
    const dir = await tempOut();
    const module = join(process.cwd(), "dist", "generator", "write", "output.js");
    const script = `
      const { writeOutput } = await import(${JSON.stringify(module)});
      const { readFile } = await import("node:fs/promises");
      const file = (body) => ${JSON.stringify(`${GENERATED_HEADER}\n`)} + body + "\\n";
      const dir = ${JSON.stringify(dir)};
      const first = new Map(Array.from({ length: 400 }, (_, i) => ["m" + i + ".ts", file("v1 " + i)]));
      await writeOutput(dir, first);
      const next = new Map(first);
      next.set("m0.ts", file("v2"));
      const diff = await writeOutput(dir, next);
      const m0 = await readFile(dir + "/m0.ts", "utf8");
      console.log(diff.changed.join(), m0.includes("v2"));
    `;
    // 40 descriptors: Node itself holds about 20; 400 files opened at once would fail with EMFILE.
    const result = spawnSync(
      "bash",
      ["-c", `ulimit -n 40 && exec "${process.execPath}" --input-type=module -e "$SCRIPT"`],
      {
        env: { ...process.env, SCRIPT: script },
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("m0.ts true");
  });
});

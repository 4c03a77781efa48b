import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_HEADER } from "../../generator/emit/header.js";
import { CodegenError } from "../../generator/diagnostics.js";
import { diffOutput, readOutput, writeOutput } from "../../generator/write/output.js";
import { textFiles } from "../helpers/project.js";

const file = (body: string) => `${GENERATED_HEADER}\n${body}\n`;

async function tempOut(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "refold-write-")), "out");
}

describe("writeOutput", () => {
  it("replaces the folder with exactly the new files, deleting files of removed apps", async () => {
    const dir = await tempOut();
    await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a")],
        ["b.ts", file("b")],
        ["runtime/x.ts", file("x")],
      ]),
    );
    const diff = await writeOutput(
      dir,
      new Map([
        ["a.ts", file("a2")],
        ["runtime/x.ts", file("x")],
      ]),
    );
    expect(diff).toEqual({ changed: ["a.ts"], added: [], removed: ["b.ts"] });
    expect(textFiles(await readOutput(dir))).toEqual(
      new Map([
        ["a.ts", file("a2")],
        ["runtime/x.ts", file("x")],
      ]),
    );
    expect((await readdir(join(dir, ".."))).sort()).toEqual(["out"]);
  });

  it("does not touch the folder when nothing changed", async () => {
    const dir = await tempOut();
    await writeOutput(dir, new Map([["a.ts", file("a")]]));
    const before = await readdir(join(dir, ".."), { withFileTypes: true });
    expect(await writeOutput(dir, new Map([["a.ts", file("a")]]))).toEqual({ changed: [], added: [], removed: [] });
    expect(await readdir(join(dir, ".."), { withFileTypes: true })).toEqual(before);
  });

  it("refuses to replace a folder holding a file it did not write, and leaves it untouched", async () => {
    const dir = await tempOut();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "notes.md"), "mine");
    const error = await writeOutput(dir, new Map([["a.ts", file("a")]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringContaining("notes.md") });
    expect(await readdir(dir)).toEqual(["notes.md"]);
  });

  it("recovers the previous output after a crash between the two renames", async () => {
    const dir = await tempOut();
    await writeOutput(dir, new Map([["a.ts", file("old")]]));
    // What a kill -9 right after `rename(dir, previous)` leaves: no folder, the old one parked beside it.
    await rename(dir, join(dir, "..", ".out.refold-old-deadbeef"));
    await mkdir(join(dir, "..", ".out.refold-new-deadbeef"));
    await writeFile(join(dir, "..", ".out.refold-new-deadbeef", "a.ts"), file("new"));
    expect(textFiles(await readOutput(dir))).toEqual(new Map([["a.ts", file("old")]]));
    expect(await readFile(join(dir, "a.ts"), "utf8")).toBe(file("old"));
  });
});

describe("diffOutput", () => {
  it("lists changed, missing and extra files", () => {
    const existing = new Map([
      ["a.ts", Buffer.from("1")],
      ["b.ts", Buffer.from("2")],
    ]);
    expect(
      diffOutput(
        existing,
        new Map([
          ["a.ts", "1*"],
          ["c.ts", "3"],
        ]),
      ),
    ).toEqual({ changed: ["a.ts"], added: ["c.ts"], removed: ["b.ts"] });
  });
});

describe("many files", () => {
  it("are written, kept and read back under a small open-file limit", async () => {
    const dir = await tempOut();
    const module = join(process.cwd(), "dist", "generator", "write", "output.js");
    const script = `
      const { readOutput, writeOutput } = await import(${JSON.stringify(module)});
      const file = (body) => ${JSON.stringify(`${GENERATED_HEADER}\n`)} + body + "\\n";
      const dir = ${JSON.stringify(dir)};
      await writeOutput(dir, new Map(Array.from({ length: 400 }, (_, i) => ["m" + i + ".ts", file("v1 " + i)])));
      const current = await readOutput(dir);
      const next = new Map(current);
      next.set("m0.ts", file("v2"));
      await writeOutput(dir, next, current);
      const after = await readOutput(dir);
      console.log(after.size, after.get("m0.ts").toString().includes("v2"), after.get("m399.ts").toString().includes("v1 399"));
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
    expect(result.stdout.trim()).toBe("400 true true");
  });
});

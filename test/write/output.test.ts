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

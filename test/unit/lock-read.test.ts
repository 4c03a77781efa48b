import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runKey, runKeyHash } from "../../generator/emit/cache.js";
import { readLockBytes } from "../../generator/lock/read.js";

describe("readLockBytes with a sink", () => {
  it("hands over every piece in order, and the run key fed piece by piece is runKey's", async () => {
    const dir = await mkdtemp(join(tmpdir(), "refold-lock-read-"));
    const path = join(dir, "refold.lock.json");
    // Larger than one piece (1 MiB) and not a multiple of it, with multi-byte characters across the cuts.
    const text = `{"x": "${"é—ü".repeat(700_000)}"}\n`;
    await writeFile(path, text);
    const pieces: Buffer[] = [];
    const hash = runKeyHash({ apps: [] });
    const bytes = await readLockBytes(path, (piece) => {
      pieces.push(Buffer.from(piece));
      hash.update(piece);
    });
    expect(pieces.length).toBeGreaterThan(2);
    expect(Buffer.concat(pieces).equals(Buffer.from(text))).toBe(true);
    expect(bytes?.equals(Buffer.from(text))).toBe(true);
    expect(hash.digest("hex")).toBe(runKey({ apps: [] }, Buffer.from(text)));
  });

  it("gives undefined for a missing lock and hands nothing over", async () => {
    const dir = await mkdtemp(join(tmpdir(), "refold-lock-read-"));
    const pieces: Buffer[] = [];
    expect(await readLockBytes(join(dir, "none.json"), (piece) => pieces.push(piece))).toBeUndefined();
    expect(pieces).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { CodegenError } from "../../generator/diagnostics.js";
import { parseLock } from "../../generator/lock/read.js";
import type { LockFile } from "../../generator/lock/types.js";
import { viewLock, viewLockBytes, withLockView, type LockView } from "../../generator/lock/view.js";
import { serializeLock } from "../../generator/lock/write.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { lockFromCatalog, sampleCatalog } from "../helpers/project.js";

const PATH = "refold.lock.json";

async function locks(): Promise<LockFile[]> {
  return [lockFromCatalog(await sampleCatalog()), lockFromCatalog(hostileCatalog)];
}

/** Every app's digest and entry, as a view gives them. */
function contents(view: LockView, slugs: readonly string[]) {
  return slugs.map((slug) => ({ slug, digest: view.digest(slug), entry: view.entry(slug) }));
}

describe("lock views", () => {
  it("cut the written lock into the same entries and digests as parsing it whole", async () => {
    for (const lock of await locks()) {
      const bytes = Buffer.from(serializeLock(lock));
      const slugs = Object.keys(lock.apps);
      const cut = viewLockBytes(bytes, PATH);
      expect(contents(cut, slugs)).toEqual(contents(viewLock(parseLock(bytes, PATH)), slugs));
      expect(cut.has("no-such-app")).toBe(false);
      expect(cut.lock()).toEqual(lock);
    }
  });

  it("give an entry's digest without parsing anything", async () => {
    const [lock] = await locks();
    const bytes = Buffer.from(serializeLock(lock as LockFile));
    const slug = Object.keys((lock as LockFile).apps)[0] as string;
    // Damage the entry's content, not the layout: the digest is still given; only parsing fails.
    const damaged = Buffer.from(bytes.toString().replace('"action_id": "', '"action_id": "\\x'));
    const view = viewLockBytes(damaged, PATH);
    expect(view.digest(slug)).toMatch(/^[0-9a-f]{64}$/);
    expect(view.digest(slug)).not.toBe(viewLockBytes(bytes, PATH).digest(slug));
  });

  it("parse other layouts whole, with the digests the written layout would give", async () => {
    const [lock] = await locks();
    const written = viewLockBytes(Buffer.from(serializeLock(lock as LockFile)), PATH);
    const slugs = Object.keys((lock as LockFile).apps);
    for (const text of [JSON.stringify(lock), JSON.stringify(lock, null, 4), `${JSON.stringify(lock, null, 2)}\n`]) {
      const view = viewLockBytes(Buffer.from(text), PATH);
      expect(contents(view, slugs)).toEqual(contents(written, slugs));
    }
  });

  it("never take a repeated slug for the first one (JSON.parse keeps the last)", async () => {
    const [lock] = await locks();
    const text = serializeLock(lock as LockFile);
    const [slug] = Object.keys((lock as LockFile).apps) as [string];
    const start = text.indexOf(`    ${JSON.stringify(slug)}: {`);
    const end = text.indexOf("\n    }", start) + "\n    }".length;
    const entry = text.slice(start, end);
    const changed = entry.replace(/"name": "[^"]*"/, '"name": "the last one"');
    const twice = `${text.slice(0, start)}${entry},\n${changed}${text.slice(end)}`;
    const view = viewLockBytes(Buffer.from(twice), PATH);
    expect(view.entry(slug)).toEqual(parseLock(Buffer.from(twice), PATH).apps[slug]);
    expect(JSON.stringify(view.entry(slug))).toContain("the last one");
  });

  it("start again from the whole parse when an entry was cut wrongly, and report a damaged lock", async () => {
    const [lock] = await locks();
    const text = serializeLock(lock as LockFile);
    const [slug] = Object.keys((lock as LockFile).apps) as [string];
    // Valid JSON that fits the layout's frame, but whose first entry holds lines of exactly four spaces and
    // `}` or a key before its real end: cut by the layout, that entry and a made-up "zz" are not JSON values.
    const key = `    ${JSON.stringify(slug)}: {\n`;
    const tricky = text.replace(key, `${key}      "x": {\n    },\n    "zz": {\n      "k": 1\n      },\n`);
    const expected = parseLock(Buffer.from(tricky), PATH);
    expect(expected.apps[slug]).toHaveProperty("x");
    const seen: string[] = [];
    const entry = await withLockView(Buffer.from(tricky), PATH, async (view) => {
      seen.push(view === undefined ? "none" : "view");
      return view?.entry(slug);
    });
    expect(seen).toEqual(["view", "view"]);
    expect(entry).toEqual(expected.apps[slug]);

    const damaged = Buffer.from(text.replace('"action_id": "', '"action_id": "\\x'));
    const error = await withLockView(damaged, PATH, async (view) => view?.entry(slug)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).message).toContain("is not valid JSON");
  });
});

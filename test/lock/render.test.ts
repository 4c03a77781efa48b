// LockRenderer (what a pull builds the lock with) against the reference path, lockApp + serializeLock.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLock, lockApp, LockRenderer } from "../../generator/lock/build.js";
import { parseLock } from "../../generator/lock/read.js";
import type { LockApp, PulledApp } from "../../generator/lock/types.js";
import { serializeLock } from "../../generator/lock/write.js";
import { buildModel } from "../../generator/model/build.js";
import { stableCopy, stableStringify } from "../../generator/util/stable-json.js";
import type { Catalog } from "../helpers/project.js";
import { catalog } from "../property/arbitraries.js";
import { announce, appsOf, runsFor, seedFor } from "../property/support.js";

/** The lock a pull builds (renderer) and the lock built the reference way, with the renderer's bytes. */
function render(source: Catalog) {
  const renderer = new LockRenderer();
  const entries: Record<string, LockApp> = {};
  const reference: Record<string, LockApp> = {};
  for (const [slug, app] of Object.entries(source.apps)) {
    Object.defineProperty(entries, slug, { value: renderer.entry(app), enumerable: true });
    Object.defineProperty(reference, slug, { value: lockApp(app), enumerable: true });
  }
  const lock = buildLock(entries);
  return { lock, text: renderer.serialize(lock), reference: buildLock(reference) };
}

/** JSON of a value with keys in the order the object lists them (JSON.stringify's own order). */
const asListed = (value: unknown): string => JSON.stringify(value);

/** Defines own enumerable properties in the given order, `__proto__` included. */
function ordered<T>(entries: [string, T][]): Record<string, T> {
  const object: Record<string, T> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true });
  return object;
}

// A field given as a `properties` map whose keys are not in code-unit order, as an API may send it.
const shop: PulledApp = {
  actions: [
    { action_id: "update_order", name: "Update order" },
    { action_id: "create_order", name: "Create order", description: "Creates an order" },
  ],
  parameters: {
    create_order: [
      {
        name: "customer",
        label: "Customer",
        type: "object",
        required: true,
        properties: ordered([
          ["zip", { type: "text", label: "Zip" }],
          ["email", { type: "email", label: "Email" }],
          ["address", { type: "text", label: "Address" }],
        ]),
      },
    ],
    update_order: { parameters: [{ type: "text", required: "true", name: "id", label: "Order id" }] },
  },
};

describe("LockRenderer", () => {
  it("gives lockApp's hashes and serializeLock's bytes, and keeps what the file gives back", () => {
    const { lock, text, reference } = render({ apps: { shop, "other-app": shop } });
    expect(text).toBe(serializeLock(reference));
    for (const slug of ["shop", "other-app"]) expect(lock.apps[slug]!.hash).toBe(reference.apps[slug]!.hash);
    // In memory, every object lists its keys as reading the file back lists them.
    const reread = parseLock(Buffer.from(text), "refold.lock.json");
    expect(asListed(lock.apps)).toBe(asListed(reread.apps));
    expect(asListed(lock.apps)).not.toBe(asListed(reference.apps));
  });

  it("builds the same model as the lock file does (fields of a `properties` map in file order)", () => {
    const { lock, text, reference } = render({ apps: { shop } });
    const apps = appsOf({ apps: { shop } });
    const fromFile = buildModel(parseLock(Buffer.from(text), "refold.lock.json"), apps);
    expect(buildModel(lock, apps)).toEqual(fromFile);
    // What the raw answer's key order gave: generating right after a pull disagreed with generating offline.
    expect(buildModel(reference, apps)).not.toEqual(fromFile);
    const customer = fromFile.model.apps[0]!.actions.find((a) => a.id === "create_order")!.fields[0]!;
    expect(customer.type.kind === "object" && customer.type.fields.map((f) => f.name)).toEqual([
      "address",
      "email",
      "zip",
    ]);
  });

  it("takes the slower path to the same bytes for keys an engine lists out of insertion order", () => {
    const awkward: PulledApp = {
      actions: [{ action_id: "10" }, { action_id: "9" }, { action_id: "-1" }, { action_id: "__proto__" }],
      parameters: ordered([
        [
          "10",
          [
            {
              name: "b",
              type: "text",
              options: ordered([
                ["2", "two"],
                ["10", "ten"],
                ["a", "A"],
              ]),
            },
          ],
        ],
        ["9", { parameters: [] }],
        ["-1", [{ name: "__proto__", type: "object", properties: ordered([["__proto__", { type: "text" }]]) }]],
        ["__proto__", [{ name: "x", type: "number", default: -0, placeholder: undefined, list: [1, undefined] }]],
      ]),
    };
    const { lock, text, reference } = render({
      apps: ordered([
        ["42", awkward],
        ["shop", shop],
        ["-", awkward],
      ]),
    });
    expect(text).toBe(serializeLock(reference));
    for (const slug of ["42", "shop", "-"]) expect(lock.apps[slug]!.hash).toBe(reference.apps[slug]!.hash);
    const reread = parseLock(Buffer.from(text), "refold.lock.json");
    expect(asListed(lock.apps)).toBe(asListed(reread.apps));
  });

  it("falls back to serializeLock for entries it did not build (kept from the previous lock)", () => {
    const renderer = new LockRenderer();
    const kept = lockApp(shop);
    const lock = buildLock({ kept, pulled: renderer.entry(shop) });
    expect(renderer.serialize(lock)).toBe(serializeLock(lock));
  });

  it("property: same bytes and hashes as the reference, and the lock read back lists keys the same way", () => {
    const name = "LockRenderer equals lockApp + serializeLock";
    const seed = seedFor(name);
    const numRuns = runsFor(150);
    announce(name, seed, numRuns);
    fc.assert(
      fc.property(catalog, (source) => {
        const { lock, text, reference } = render(source);
        expect(text).toBe(serializeLock(reference));
        for (const slug of Object.keys(source.apps)) expect(lock.apps[slug]!.hash).toBe(reference.apps[slug]!.hash);
        expect(asListed(lock.apps)).toBe(asListed(parseLock(Buffer.from(text), "refold.lock.json").apps));
      }),
      { seed, numRuns },
    );
  });
});

describe("stableCopy", () => {
  it("copies JSON data with keys in code-unit order, as reading its stable JSON back gives it", () => {
    const source = ordered<unknown>([
      ["b", 1],
      [
        "a",
        ordered([
          [
            "y",
            [
              ordered([
                ["d", -0],
                ["c", undefined],
              ]),
            ],
          ],
          ["x", null],
        ]),
      ],
      ["__proto__", { polluted: true }],
      ["gone", undefined],
    ]);
    const { value, exact } = stableCopy(source);
    expect(exact).toBe(true);
    expect(asListed(value)).toBe('{"__proto__":{"polluted":true},"a":{"x":null,"y":[{"d":0}]},"b":1}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value, null, 2) + "\n").toBe(stableStringify(source));
    expect(value).not.toBe(source);
  });

  it("is not exact when the engine would write it otherwise: integer-like keys, values that are not JSON", () => {
    expect(stableCopy({ "10": 1, "9": 2 }).exact).toBe(false);
    expect(stableCopy([{ ok: [{ "0": true }] }]).exact).toBe(false);
    expect(stableCopy({ at: new Date(0) }).exact).toBe(false);
    expect(stableCopy({ run: () => 1 }).exact).toBe(false);
    expect(stableCopy({ "01": 1, "1.5": 2, "-1": 3, "": 4 }).exact).toBe(true);
  });
});

/*
 * Properties 1 and 2 of issue 4 item 8, in-process (fast-check shrinks failures to a minimal catalog):
 * generation never throws and is deterministic whatever order the API lists things in; every name in
 * the output is a unique, valid identifier and every action id gets exactly one method.
 */
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memberName } from "../../generator/model/naming.js";
import { RUNTIME_EXPORTS } from "../../generator/model/runtime-exports.js";
import type { ModelApp } from "../../generator/model/types.js";
import type { Catalog } from "../helpers/project.js";
import { catalog, catalogWithoutRepeats, hasLoneSurrogate } from "./arbitraries.js";
import { defineApp, listActions } from "../../templates/runtime/bind.js";
import type { ActionRunner, ActionSpec } from "../../templates/runtime/types.js";
import { layoutProblems } from "../helpers/layout.js";
import { formerSpec, tableOf } from "../helpers/table.js";
import { announce, emit, emittedData, generate, runsFor, seedFor, shuffledCatalog } from "./support.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Members a generated object must not own: prototype names, `then` (thenables), `__proto__`. */
const FORBIDDEN_MEMBERS = new Set([...Object.getOwnPropertyNames(Object.prototype), "then", "prototype"]);

function assertProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  runs: number,
  predicate: (value: T) => Promise<void>,
) {
  const seed = seedFor(name);
  const numRuns = runsFor(runs);
  announce(name, seed, numRuns);
  return fc.assert(fc.asyncProperty(arbitrary, predicate), {
    seed,
    numRuns,
    // a slow machine fails loudly rather than running fewer cases; a failure's shrinking is bounded too
    interruptAfterTimeLimit: 75_000,
    markInterruptAsFailure: true,
  });
}

/** Action ids an app lists, each once. */
function listedIds(pulled: Catalog["apps"][string]): string[] {
  return [...new Set(pulled.actions.map((entry) => entry.action_id))];
}

/** Names a module exports, read from its source. */
function exportedNames(source: string): string[] {
  return [
    ...source.matchAll(/^export (?:declare )?(?:interface|type|const|function|class|enum) ([A-Za-z_$][\w$]*)/gm),
  ].map((match) => match[1] as string);
}

function checkApp(app: ModelApp, pulled: Catalog["apps"][string]): void {
  const methods = app.actions.map((action) => action.method);
  expect(new Set(methods).size, `methods of ${JSON.stringify(app.slug)} are unique`).toBe(methods.length);
  for (const method of methods) {
    expect(method).toMatch(IDENTIFIER);
    expect(FORBIDDEN_MEMBERS.has(method), `method "${method}" shadows a built-in member`).toBe(false);
  }
  // every listed id exactly once, unchanged: the id is the wire name (ids no URL can carry are left out)
  const ids = app.actions.map((action) => action.id);
  expect([...ids].sort()).toEqual(
    listedIds(pulled)
      .filter((id) => !hasLoneSurrogate(id))
      .sort(),
  );
  expect(new Set(ids).size).toBe(ids.length);
  for (const action of app.actions) expect(action.paramsType).toMatch(IDENTIFIER);
}

describe("property: generation is total and deterministic", () => {
  it("never throws, and gives byte-identical output for the same catalog and for any listing order", async () => {
    // catalogs without an id listed twice: with one, the output depends on the listing order (BUG J)
    await assertProperty(
      "determinism",
      fc.tuple(catalogWithoutRepeats, fc.integer()),
      150,
      async ([input, shuffleSeed]) => {
        // the whole pipeline: it must not throw, and must give the same bytes for a reordered listing
        const first = await generate(input);
        // the one error a random catalog may cause: a slug no URL can carry
        expect(first.diagnostics.filter((d) => d.severity === "error" && d.code !== "bad-slug")).toEqual([]);
        expect(first.files.size).toBe(first.model.apps.length + 2);
        const shuffled = await generate(shuffledCatalog(input, shuffleSeed));
        expect([...shuffled.files]).toEqual([...first.files]);
        // the same catalog again: everything emitted (a pure function) is identical
        expect(emittedData((await emit(input)).files)).toEqual(first.data);
      },
    );
  }, 90_000);
});

describe("property: layout", () => {
  it("every module parses and follows the writer's layout rules (test/helpers/layout.ts)", async () => {
    await assertProperty("layout", catalog, 60, async (input) => {
      const { files } = await generate(input);
      for (const [path, source] of files) if (path.endsWith(".ts")) expect(layoutProblems(source), path).toEqual([]);
    });
  }, 90_000);
});

describe("property: the action table", () => {
  it("gives the runtime each action's exact id, kind, list entry and field specs", async () => {
    await assertProperty("table", catalog, 100, async (input) => {
      const { model, files } = await emit(input);
      for (const app of model.apps) {
        const { slug, table, names } = tableOf(files.get(`${app.file}.ts`) ?? "");
        expect(slug).toBe(app.slug);
        const specs: ActionSpec[] = [];
        const runner: ActionRunner = {
          run: (spec) => {
            specs.push(spec);
            return Promise.resolve(undefined);
          },
        };
        const defined = defineApp(slug, table);
        const client = defined.bind(runner) as Record<string, () => Promise<unknown>>;
        const methods: string[] = [];
        for (const key in client) methods.push(key);
        expect(methods).toEqual(app.actions.map((action) => action.method));
        for (const action of app.actions) await client[action.method]?.();
        expect(specs).toStrictEqual(
          app.actions.map((action) => ({
            app: app.slug,
            action: action.id,
            kind: action.kind,
            fields: action.fields.map(formerSpec),
          })),
        );
        expect(listActions(defined, names)).toStrictEqual(
          app.actions.map(({ id, method, name, description, kind }) => ({
            actionId: id,
            method,
            name,
            description,
            kind,
          })),
        );
      }
    });
  }, 90_000);
});

describe("property: names", () => {
  it("are unique valid identifiers, and every action id gets exactly one method", async () => {
    const runtimeNames = RUNTIME_EXPORTS;
    await assertProperty("names", catalog, 120, async (input) => {
      const { model, files } = await emit(input);
      // slugs no URL can carry are an error of their own and left out
      expect(model.apps.map((app) => app.slug).sort()).toEqual(
        Object.keys(input.apps)
          .filter((slug) => !hasLoneSurrogate(slug))
          .sort(),
      );
      for (const app of model.apps) checkApp(app, input.apps[app.slug] as Catalog["apps"][string]);

      const properties = model.apps.map((app) => app.property);
      expect(new Set(properties).size).toBe(properties.length);
      for (const property of properties) {
        expect(property).toMatch(IDENTIFIER);
        expect(FORBIDDEN_MEMBERS.has(property) || property === "forAccount").toBe(false);
      }
      const fileNames = model.apps.map((app) => app.file);
      expect(new Set(fileNames).size).toBe(fileNames.length);
      for (const file of fileNames) {
        expect(file).toMatch(/^[a-z0-9_-]+$/);
        expect(["index", "runtime"]).not.toContain(file);
        // slugs here stay under 120 characters; longer ones overflow the limit (BUG H, known-bugs.test.ts)
        expect(Buffer.byteLength(`${file}.ts`)).toBeLessThanOrEqual(255);
      }

      // exported names: unique across the output, none equal to a runtime export (export * would clash)
      const exported = [...files]
        .filter(([path]) => path.endsWith(".ts") && !path.startsWith("runtime/"))
        .flatMap(([, source]) => exportedNames(source));
      const duplicates = exported.filter((name, index) => exported.indexOf(name) !== index);
      expect(duplicates, "exported names defined twice").toEqual([]);
      expect(exported.filter((name) => runtimeNames.has(name))).toEqual([]);
      for (const app of model.apps) {
        for (const name of [app.clientType, app.factory, app.actionsConst, ...app.actions.map((a) => a.paramsType)])
          expect(exported, `${name} is exported`).toContain(name);
      }
    });
  }, 90_000);

  it("reach the output escaped: no control, bidi, zero-width or line-separator character, no lone surrogate", async () => {
    const invisible =
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/;
    await assertProperty("no-raw-invisible", catalog, 120, async (input) => {
      const { files } = await generate(input);
      for (const [path, source] of files) {
        const line = source.split("\n").find((text) => invisible.test(text) || hasLoneSurrogate(text));
        expect(line === undefined ? undefined : JSON.stringify(line), path).toBeUndefined();
      }
    });
  }, 90_000);

  it("are stable: removing an action renames no method whose id does not collide with it", async () => {
    await assertProperty(
      "stable-names",
      fc.tuple(catalogWithoutRepeats, fc.nat(), fc.nat()),
      150,
      async ([input, appAt, actionAt]) => {
        const slugs = Object.keys(input.apps);
        const slug = slugs[appAt % slugs.length] as string;
        const pulled = input.apps[slug] as Catalog["apps"][string];
        const removed = pulled.actions[actionAt % pulled.actions.length]?.action_id as string;
        const smaller: Catalog = {
          apps: {
            ...input.apps,
            [slug]: { ...pulled, actions: pulled.actions.filter((entry) => entry.action_id !== removed) },
          },
        };
        const methodsOf = async (c: Catalog) =>
          new Map(
            ((await emit(c)).model.apps.find((a) => a.slug === slug)?.actions ?? []).map((a) => [a.id, a.method]),
          );
        const before = await methodsOf(input);
        const after = await methodsOf(smaller);
        const base = (id: string) => memberName(id, "action");
        for (const [id, method] of after) {
          if (base(id) !== base(removed)) expect(method, `method of ${JSON.stringify(id)}`).toBe(before.get(id));
        }
      },
    );
  }, 90_000);
});

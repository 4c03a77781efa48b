/*
 * The action table a generated app module hands the runtime (templates/runtime/bind.ts): what it decodes to,
 * the `<app>Actions` list it gives, the client it binds. The table is read here from the emitted source
 * itself (TypeScript's parser decodes the string literals), so the emitter, escape.ts and the runtime are
 * tested together.
 */
import { describe, expect, it } from "vitest";
import { emitFiles } from "../../generator/emit/files.js";
import { runtimeTemplates } from "../../generator/pipeline/templates.js";
import { buildModel } from "../../generator/model/build.js";
import type { ModelApp } from "../../generator/model/types.js";
import { decodeField, defineApp, listActions, type ActionTable } from "../../templates/runtime/bind.js";
import type { ActionRunner, ActionSpec, FieldSpec } from "../../templates/runtime/types.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { lockFromCatalog, sampleCatalog, type Catalog } from "../helpers/project.js";
import { formerSpec, tableOf } from "../helpers/table.js";
import { createContact } from "./fixtures.js";

/** A runner that records the spec of every call instead of sending anything. */
function recorder(): ActionRunner & { specs: ActionSpec[] } {
  const specs: ActionSpec[] = [];
  return {
    specs,
    run(spec) {
      specs.push(spec);
      return Promise.resolve(spec.action);
    },
  };
}

async function emittedApps(catalog: Catalog): Promise<{ model: ModelApp; source: string }[]> {
  const lock = lockFromCatalog(catalog);
  const { model } = buildModel(
    lock,
    Object.keys(lock.apps).map((slug) => ({ slug, kinds: {} })),
  );
  const files = emitFiles(model, await runtimeTemplates());
  return model.apps.map((app) => ({ model: app, source: files.get(`${app.file}.ts`) ?? "" }));
}

describe("the action table", () => {
  it("decodes to the field specs modules declared before, for the sample and the hostile catalogs", async () => {
    let fields = 0;
    for (const catalog of [await sampleCatalog(), hostileCatalog]) {
      for (const { model, source } of await emittedApps(catalog)) {
        const { slug, table } = tableOf(source);
        expect(slug).toBe(model.slug);
        const runner = recorder();
        const client = defineApp(slug, table as ActionTable<Record<string, unknown>>).bind(runner) as Record<
          string,
          () => Promise<unknown>
        >;
        for (const action of model.actions) {
          await client[action.method]?.();
          expect(runner.specs.at(-1)).toStrictEqual({
            app: model.slug,
            action: action.id,
            kind: action.kind,
            fields: action.fields.map(formerSpec),
          });
          fields += action.fields.length;
        }
      }
    }
    expect(fields).toBeGreaterThan(100);
  });

  it("gives the <app>Actions list: every action in id order, with its method, name, description and kind", async () => {
    for (const { model, source } of await emittedApps(hostileCatalog)) {
      const { slug, table, names } = tableOf(source);
      expect(listActions(defineApp(slug, table), names)).toStrictEqual(
        model.actions.map((action) => ({
          actionId: action.id,
          method: action.method,
          name: action.name,
          description: action.description,
          kind: action.kind,
        })),
      );
    }
  });

  it("binds one enumerable method per action, made on first use, sharing one spec per action across runners and calls", async () => {
    const app = defineApp<{ a(): Promise<unknown>; b(): Promise<unknown> }>("app", {
      a: '["x","read",["id","!s"]]',
      b: '["y","write"]',
    });
    const first = recorder();
    const second = recorder();
    const one = app.bind(first);
    const other = app.bind(second);
    // Nothing per action until a method is used: binding makes one object.
    expect(Object.keys(one)).toEqual([]);
    const inherited: string[] = [];
    for (const key in one) inherited.push(key);
    expect(inherited).toEqual(["a", "b"]);
    const { a } = one;
    expect(Object.getOwnPropertyDescriptor(one, "a")).toMatchObject({ enumerable: true, writable: false });
    expect(one.a).toBe(a);
    await a();
    await one.a();
    await other.a();
    await one.b();
    expect(first.specs[0]).toBe(first.specs[1]);
    expect(second.specs[0]).toBe(first.specs[0]);
    expect(first.specs[2]).not.toBe(first.specs[0]);
    expect(first.specs.map((spec) => spec.action)).toEqual(["x", "x", "y"]);
  });

  it("decodes every kind of field the runtime validates (the runtime tests' fixture, written as a table row)", () => {
    const row = [
      "create_contact",
      "write",
      ["email", "!s"],
      "firstname",
      ["age", "n"],
      ["subscribed", "b"],
      ["lifecyclestage", ["e", "lead", "customer"]],
      ["tags", ["m", "a", "b"]],
      ["address", ["o", ["city", "!s"], "zip"]],
      ["scores", ["a", "n"]],
      ["extra", "j"],
    ];
    const runner = recorder();
    void defineApp<{ createContact(): Promise<unknown> }>("hubspot", { createContact: JSON.stringify(row) })
      .bind(runner)
      .createContact();
    expect(runner.specs[0]).toStrictEqual(createContact);
  });

  it.each<[string, unknown, FieldSpec]>([
    ["an optional string", "f", { name: "f", type: "string" }],
    ["a required unknown", ["f", "!u"], { name: "f", type: "unknown", required: true }],
    ["a select of mixed values", ["f", ["e", "a", 1, true]], { name: "f", type: "unknown", values: ["a", 1, true] }],
    [
      "a required select of several numbers",
      ["f", ["!m", 1, 2]],
      { name: "f", type: "number", values: [1, 2], multiple: true, required: true },
    ],
    ["an object without fields", ["f", ["o"]], { name: "f", type: "object", fields: [] }],
    [
      "an array of arrays of selects",
      ["f", ["a", ["a", ["e", "x"]]]],
      {
        name: "f",
        type: "array",
        items: { name: "", type: "array", items: { name: "", type: "string", values: ["x"] } },
      },
    ],
  ])("decodes %s", (_name, encoded, spec) => {
    expect(decodeField(encoded)).toStrictEqual(spec);
  });

  it("refuses a field code it does not know, naming it", () => {
    const app = defineApp<{ x(): Promise<unknown> }>("a", { x: '["x","write",["f","z"]]' });
    expect(() => app.bind(recorder()).x()).toThrow(/unknown field code "z"/);
  });
});

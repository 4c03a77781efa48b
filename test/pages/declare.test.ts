// Declared pagination (config `pagination`): what the config loader refuses on its own, and what the model
// refuses once it knows the action's params (the lock) and its recorded result shape (refold.results.json).
import { readFile } from "node:fs/promises";
import ts from "typescript";
import { stringLiteral } from "../../generator/emit/escape.js";
import { render } from "../../generator/pipeline/render.js";
import { inferShape } from "../../generator/results/shape.js";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../generator/config/load.js";
import type { PaginationConfig } from "../../generator/config/types.js";
import { buildModel } from "../../generator/model/build.js";
import type { ResultsFile } from "../../generator/results/file.js";
import { CodegenError, type Diagnostic } from "../../generator/util/diagnostics.js";
import { lockFromCatalog, sampleCatalog } from "../helpers/project.js";

const CURSOR: PaginationConfig = { cursor: { param: "after", next: "paging.next.after" }, items: "results" };

async function configFailure(pagination: unknown): Promise<string[]> {
  try {
    await resolveConfig({ apps: ["hubspot", "jira"], pagination }, "/project/refold.codegen.json");
  } catch (error) {
    if (error instanceof CodegenError)
      return error.diagnostics.map((d) => `${d.message}${d.hint ? ` | ${d.hint}` : ""}`);
    throw error;
  }
  return [];
}

async function modelDiagnostics(declared: Record<string, PaginationConfig>): Promise<Diagnostic[]> {
  const lock = lockFromCatalog(await sampleCatalog());
  const results = JSON.parse(await readFile("refold.results.json", "utf8")) as ResultsFile;
  const { diagnostics } = buildModel(lock, [{ slug: "hubspot", kinds: {}, pagination: declared }], results);
  return diagnostics.filter((d) => d.code === "pagination");
}

describe("the config's pagination", () => {
  const cases: [string, unknown, string][] = [
    [
      "two schemes",
      { hubspot: { get_contact: { ...CURSOR, page: { param: "page" } } } },
      "pagination.hubspot.get_contact must declare exactly one of cursor, page or offset (found cursor and page)",
    ],
    ["no scheme", { hubspot: { get_contact: { items: "results" } } }, "found none"],
    [
      "an app that is not configured",
      { linkly: { list_docs: CURSOR } },
      'pagination.linkly names an app that is not in apps | add "linkly" to apps',
    ],
    [
      "hasNext and count",
      { hubspot: { get_contact: { page: { param: "after", hasNext: "a", count: "b" }, items: "results" } } },
      "page has both hasNext and count",
    ],
    [
      "an empty path segment",
      { hubspot: { get_contact: { cursor: { param: "after", next: "paging..after" }, items: "results" } } },
      'cursor.next "paging..after" has an empty segment',
    ],
    [
      "a misspelt key",
      { hubspot: { get_contact: { curser: { param: "after" }, items: "results" } } },
      'did you mean "cursor"?',
    ],
    [
      "items missing",
      { hubspot: { get_contact: { cursor: { param: "after", next: "x" } } } },
      "pagination.hubspot.get_contact.items is required",
    ],
  ];
  it.each(cases)("refuses %s", async (_name, pagination, want) => {
    const problems = await configFailure(pagination);
    expect(problems.join("\n")).toContain(want);
  });

  it("accepts the sample's declaration and hands it to the app it names", async () => {
    const config = await resolveConfig(
      { apps: ["jira", "hubspot"], pagination: { hubspot: { get_contact: CURSOR } } },
      "/p/refold.codegen.json",
    );
    expect(config.apps.find((app) => app.slug === "hubspot")?.pagination).toEqual({ get_contact: CURSOR });
    expect(config.apps.find((app) => app.slug === "jira")?.pagination).toBeUndefined();
  });
});

describe("a declaration checked against the params and the recorded shape", () => {
  it("accepts HubSpot's get_contact: paging.next.after passes through `paging: {}`, which no sample filled yet", async () => {
    expect(await modelDiagnostics({ get_contact: CURSOR })).toEqual([]);
  });

  const cases: [string, Record<string, PaginationConfig>, string, string][] = [
    [
      "a param the action lacks",
      { get_contact: { ...CURSOR, cursor: { param: "aftr", next: "paging.next.after" } } },
      'pagination.hubspot.get_contact.cursor.param "aftr" is not a parameter of get_contact (its parameters: limit, after, properties)',
      'did you mean "after"?',
    ],
    [
      "items the shape lacks",
      { get_contact: { ...CURSOR, items: "contacts" } },
      'pagination.hubspot.get_contact.items "contacts": the recorded result has no "contacts" in data',
      "refold-codegen record hubspot get_contact",
    ],
    [
      "items that are not an array",
      { get_contact: { ...CURSOR, items: "paging" } },
      'items "paging" is object in the recorded result, not array',
      "fix the path",
    ],
    [
      "items under an object no sample filled",
      { get_contact: { ...CURSOR, items: "paging.results" } },
      'the recorded result has no "results" in paging',
      "record",
    ],
    [
      "a cursor path through an array",
      { get_contact: { cursor: { param: "after", next: "results.next" }, items: "results" } },
      'cursor.next "results.next": results is not an object in the recorded result',
      "fix the path",
    ],
    [
      "a key beside recorded keys",
      { get_contact: { cursor: { param: "after", next: "next_cursor" }, items: "results" } },
      'cursor.next "next_cursor": the recorded result has no "next_cursor" in data',
      "record",
    ],
    [
      "an action that is not generated",
      { get_contacts: CURSOR },
      "pagination.hubspot.get_contacts names an action that is not generated",
      'did you mean "get_contact"?',
    ],
    [
      "a json param as the offset's limit",
      { get_contact: { offset: { param: "after", limit: "nope" }, items: "results" } },
      'offset.limit "nope" is not a parameter',
      "name one of get_contact's parameters",
    ],
  ];
  it.each(cases)(
    "refuses %s, naming the app, the action, the path and the fix",
    async (_name, declared, message, hint) => {
      const diagnostics = await modelDiagnostics(declared);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ severity: "error", app: "hubspot" });
      expect(diagnostics[0]?.action).toBe(Object.keys(declared)[0]);
      expect(diagnostics[0]?.message).toContain(message);
      expect(diagnostics[0]?.hint).toContain(hint);
    },
  );

  it("is checked against the params alone when no shape is recorded (items then type as unknown)", async () => {
    const lock = lockFromCatalog(await sampleCatalog());
    const declared = { get_contact: { ...CURSOR, items: "anything.at.all" } };
    const { model, diagnostics } = buildModel(lock, [{ slug: "hubspot", kinds: {}, pagination: declared }]);
    expect(diagnostics.filter((d) => d.code === "pagination")).toEqual([]);
    const action = model.apps[0]?.actions.find((a) => a.id === "get_contact");
    expect(action?.pagination).toEqual({
      scheme: "cursor",
      param: "after",
      items: ["anything", "at", "all"],
      next: ["paging", "next", "after"],
      text: true,
    });
  });
});

describe("untrusted keys in a declared path", () => {
  it("reach the module only escaped: the scheme as a JSON string, the item type's keys as string literals", async () => {
    const key = 'x*/"\u2028`${y}';
    const catalog = {
      apps: {
        odd: {
          actions: [{ name: "List", action_id: "list_x", description: "*/ not closed" }],
          parameters: { list_x: [{ name: "after", label: "After */", required: false, type: "text" }] },
        },
      },
    };
    const results: ResultsFile = {
      resultsVersion: 1,
      apps: { odd: { list_x: { samples: 1, schema: inferShape({ [key]: [{ id: "1" }], next: "c" }) } } },
    };
    const pagination = { list_x: { cursor: { param: "after", next: "next" }, items: key } };
    const emit = { schemas: false, openapi: false, mcp: false };
    const { files, diagnostics } = await render(
      lockFromCatalog(catalog),
      { apps: [{ slug: "odd", kinds: {}, pagination }], emit },
      results,
    );
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const source = files.get("odd.ts") ?? "";
    expect(source).toContain(`OddListXResult[${stringLiteral(key)}][number]`);
    expect(stringLiteral(key)).toBe(`'x*/"\\u2028\`\${y}'`);
    const parsed = ts.transpileModule(source, {
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022 },
    });
    expect(parsed.diagnostics ?? []).toEqual([]);
  });
});

// The OpenAPI document of `emit.openapi`: valid OpenAPI 3.1 (by an independent validator), schemas valid
// JSON Schema 2020-12, every reference resolving, one literal execute path per action, hostile input.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GENERATED_MARK } from "../../generator/emit/header.js";
import { executePath } from "../../generator/util/api-paths.js";
import { hostileCatalog } from "../fixtures/hostile.js";
import { sampleCatalog, type Catalog } from "../helpers/project.js";
import { jsonFilesOf, modelOf, reordered, strictAjv, toolFiles } from "./support.js";

interface Operation {
  operationId: string;
  tags: string[];
  summary?: string;
  parameters: { $ref: string }[];
  requestBody: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { $ref: string }>;
  "x-refold-app": string;
  "x-refold-action": string;
  "x-refold-method": string;
  "x-refold-kind": string;
}
interface Document {
  openapi: string;
  paths: Record<string, { post: Operation }>;
  components: { schemas: Record<string, Record<string, unknown>> } & Record<string, Record<string, unknown>>;
  tags: { name: string }[];
  servers: { url: string }[];
  security: Record<string, string[]>[];
  [key: string]: unknown;
}

const catalogs = async (): Promise<[string, Catalog][]> => [
  ["sample", await sampleCatalog()],
  ["hostile", hostileCatalog],
];

function documentOf(catalog: Catalog): { text: string; doc: Document } {
  const text = jsonFilesOf(catalog).get("openapi.json");
  if (text === undefined) throw new Error("no openapi.json");
  return { text, doc: JSON.parse(text) as Document };
}

async function validateOpenApi(doc: unknown): Promise<{ valid: boolean; errors?: unknown; version: string }> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc) as Record<string, unknown>);
  return { ...result, version: validator.version };
}

/** Every `$ref` in a value, with the JSON Pointer it names resolved against the document. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refs(item, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.push(child);
      else refs(child, found);
    }
  }
  return found;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe("openapi.json", () => {
  it("is a valid OpenAPI 3.1 document for the sample and hostile catalogs", async () => {
    for (const [label, catalog] of await catalogs()) {
      const { doc } = documentOf(catalog);
      const result = await validateOpenApi(doc);
      expect(result.errors, label).toBeUndefined();
      expect(result.valid, label).toBe(true);
      expect(result.version).toBe("3.1");
      expect(doc.openapi).toBe("3.1.0");
    }
  });

  it("the validator can fail: a root $comment (not allowed by OpenAPI 3.1) or a missing info is refused", async () => {
    const { doc } = documentOf(await sampleCatalog());
    expect((await validateOpenApi({ $comment: "x", ...doc })).valid).toBe(false);
    const { info: _info, ...noInfo } = doc;
    expect((await validateOpenApi(noInfo)).valid).toBe(false);
  });

  it("carries the generated marker in an x- extension within its first 200 characters", async () => {
    const { text, doc } = documentOf(await sampleCatalog());
    expect(text.slice(0, 200)).toContain(GENERATED_MARK);
    expect(Object.keys(doc).slice(0, 2)).toEqual(["openapi", "x-generated-by"]);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("holds component schemas valid under the JSON Schema 2020-12 meta-schema, and every $ref resolves", async () => {
    for (const [label, catalog] of await catalogs()) {
      const { doc } = documentOf(catalog);
      const ajv = strictAjv();
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        expect(ajv.validateSchema(schema), `${label} ${name}: ${ajv.errorsText()}`).toBe(true);
        expect(() => ajv.compile(schema), `${label} ${name}`).not.toThrow();
      }
      const all = refs(doc);
      expect(all.length).toBeGreaterThan(0);
      for (const ref of all) expect(resolvePointer(doc, ref), `${label} ${ref}`).toBeDefined();
    }
  });

  it("has one literal execute path per action, operation ids equal to the tool names, tags per app", async () => {
    for (const [label, catalog] of await catalogs()) {
      const model = modelOf(catalog);
      const files = jsonFilesOf(catalog);
      const { doc } = documentOf(catalog);
      const tools = toolFiles(files).flatMap((file) => file.tools);
      const actions = model.apps.flatMap((app) => app.actions.map((action) => ({ app, action })));
      expect(Object.keys(doc.paths).length, label).toBe(actions.length);
      expect(doc.tags.map((tag) => tag.name)).toEqual(model.apps.map((app) => app.slug));
      for (const { app, action } of actions) {
        const path = `/api/v2/integration-schema/${encodeURIComponent(app.slug)}/actions/${encodeURIComponent(action.id)}/execute`;
        expect(executePath(app.slug, action.id)).toBe(path);
        const operation = doc.paths[path]?.post;
        if (!operation) throw new Error(`${label}: no operation at ${path}`);
        const tool = tools.find((t) => t.app === app.slug && t.action === action.id);
        expect(operation.operationId).toBe(tool?.name);
        expect(operation.tags).toEqual([app.slug]);
        expect(operation["x-refold-app"]).toBe(app.slug);
        expect(operation["x-refold-action"]).toBe(action.id);
        expect(operation["x-refold-method"]).toBe(action.method);
        expect(operation["x-refold-kind"]).toBe(action.kind);
        expect(operation.requestBody.required).toBe(action.hasRequired);
        const body = resolvePointer(doc, operation.requestBody.content["application/json"]?.schema.$ref ?? "");
        expect(body).toEqual(tool?.input_schema);
        expect(Object.keys(operation.responses)).toEqual(["200", "4XX", "5XX"]);
        expect(operation.parameters).toEqual([{ $ref: "#/components/parameters/LinkedAccountId" }]);
      }
      const ids = Object.values(doc.paths).map((item) => item.post.operationId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const { doc } = documentOf(await sampleCatalog());
    expect(doc.paths).toHaveProperty(["/api/v2/integration-schema/hubspot/actions/create_contact/execute"]);
    expect(doc.paths).toHaveProperty(["/api/v2/integration-schema/google-sheets/actions/add_sheet/execute"]);
  });

  it("describes the auth headers, the success envelope and the shared error envelope", async () => {
    const { doc } = documentOf(await sampleCatalog());
    expect(doc.servers).toEqual([{ url: "https://app.refold.ai", description: "Refold" }]);
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    expect(doc.components["securitySchemes"]).toMatchObject({
      apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
      bearer: { type: "http", scheme: "bearer" },
    });
    expect(doc.components["parameters"]).toMatchObject({
      LinkedAccountId: { name: "linked_account_id", in: "header", required: false },
    });
    const ajv = strictAjv();
    const envelope = ajv.compile(doc.components.schemas["RefoldActionResult"] ?? {});
    expect(envelope({ node_status: "Success", data: { id: "1" }, http_status: 200 })).toBe(true);
    expect(envelope({ node_status: "Failed", data: "boom" })).toBe(true);
    expect(envelope({ data: {} })).toBe(false);
    const error = ajv.compile(doc.components.schemas["RefoldErrorEnvelope"] ?? {});
    expect(
      error({
        status_code: 400,
        http_error_type: "BAD_REQUEST",
        error_code: "E",
        message: "m",
        request_id: "r",
      }),
    ).toBe(true);
  });

  it("keeps hostile ids exact in the x- extensions and percent-encoded in paths", () => {
    const { doc } = documentOf(hostileCatalog);
    const actions = Object.values(doc.paths).map((item) => item.post["x-refold-action"]);
    expect(actions).toEqual(expect.arrayContaining(["__proto__", "quote's\"id", "連絡先を作成", "🚀", "then"]));
    expect(doc.paths).toHaveProperty(["/api/v2/integration-schema/evil-app/actions/%F0%9F%9A%80/execute"]);
    expect(doc.paths).toHaveProperty(["/api/v2/integration-schema/evil-app/actions/quote's%22id/execute"]);
    for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/[{}]/);
  });

  it("is byte-identical whatever order the API lists apps and actions in", async () => {
    for (const [label, catalog] of await catalogs()) {
      const { text } = documentOf(catalog);
      for (const seed of [5, 9]) expect(documentOf(reordered(catalog, seed)).text, label).toBe(text);
    }
  });
});

// The opt-in drift check (client option checkResults) in its three modes, and the emulator answering in shape.
import { describe, expect, it } from "vitest";
import { startMock } from "../../generator/mock/index.js";
import { inferShape } from "../../generator/results/shape.js";
import { RefoldConfigError, RefoldResultError } from "../../templates/runtime/index.js";
import { encodeShape, resultProblem, type ResultShape } from "../../templates/runtime/results.js";
import type { ActionSpec } from "../../templates/runtime/types.js";
import { useTestServer } from "../runtime/fixtures.js";
import { ok } from "../runtime/server.js";

const RECORDED = { id: "1", properties: { email: "a@b.c" }, tags: ["x"], archived: false, owner: null };
const shape = inferShape(RECORDED);
const getContact: ActionSpec = {
  app: "hubspot",
  action: "get_contact",
  kind: "read",
  fields: [],
  result: JSON.stringify(encodeShape(shape)),
};

const { server, client } = useTestServer();

describe("checkResults", () => {
  const drifted = { ...RECORDED, id: 1, properties: {} };

  it('"off" (the default) resolves whatever comes, telling no one', async () => {
    const warnings: unknown[] = [];
    server.script(ok(drifted));
    await expect(client({ logger: { warn: (...args) => warnings.push(args) } }).run(getContact, {})).resolves.toEqual(
      drifted,
    );
    expect(warnings).toEqual([]);
  });

  it('"warn" resolves and tells the logger the action and the JSON path', async () => {
    const warnings: unknown[][] = [];
    server.script(ok(drifted));
    const refold = client({ checkResults: "warn", logger: { warn: (...args) => warnings.push(args) } });
    await expect(refold.run(getContact, {})).resolves.toEqual(drifted);
    expect(warnings).toEqual([
      [
        "refold: a result does not fit its recorded shape",
        { app: "hubspot", action: "get_contact", path: "$.id", reason: "expected string, got number" },
      ],
    ]);
  });

  it('"throw" rejects with RefoldResultError naming the action and the path; the data rides along', async () => {
    server.script(ok({ ...RECORDED, properties: {} }));
    const error = await client({ checkResults: "throw" })
      .run(getContact, {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefoldResultError);
    expect(error).toMatchObject({
      app: "hubspot",
      action: "get_contact",
      path: "$.properties.email",
      reason: "is missing",
    });
    expect((error as Error).message).toMatch(/\$\.properties\.email is missing/);
  });

  it("never fails on fields the shape does not know, nor on an action with no recorded shape", async () => {
    server.script(ok({ ...RECORDED, brandNew: { deep: [1] } }), ok({ anything: true }));
    const refold = client({ checkResults: "throw" });
    await expect(refold.run(getContact, {})).resolves.toMatchObject({ brandNew: { deep: [1] } });
    const { result: _shape, ...unshaped } = getContact;
    await expect(refold.run(unshaped, {})).resolves.toEqual({ anything: true });
  });

  it("refuses an unknown mode when the client is made", () => {
    expect(() => client({ checkResults: "loud" as never })).toThrow(RefoldConfigError);
  });
});

describe("resultProblem", () => {
  const check = (value: unknown) => resultProblem(value, shape);
  it.each([
    ["the recorded answer", RECORDED, undefined],
    ["null where null was seen", { ...RECORDED, owner: null }, undefined],
    [
      "a wrong type deep inside",
      { ...RECORDED, tags: ["x", 2] },
      { path: "$.tags[1]", reason: "expected string, got number" },
    ],
    [
      "null where none was seen",
      { ...RECORDED, archived: null },
      { path: "$.archived", reason: "expected boolean, got null" },
    ],
    ["a root of another kind", [RECORDED], { path: "$", reason: "expected object, got array" }],
  ])("%s", (_name, value, problem) => expect(check(value)).toEqual(problem));
});

describe("the emulator with recorded shapes", () => {
  it("answers an action that has a shape with deterministic data of it, others with the echo; setAnswer overrides", async () => {
    const apps = {
      shop: {
        actions: [{ action_id: "get_order" }, { action_id: "create_order" }],
        parameters: { get_order: [], create_order: [] },
      },
    };
    const results = {
      shop: {
        get_order: {
          samples: 1,
          schema: inferShape({ id: "o1", at: "2024-01-01T00:00:00Z", lines: [{ n: 1 }], note: null }),
        },
      },
    };
    const mock = await startMock({ apps, apiKey: "k", results });
    try {
      const call = async (action: string) => {
        const response = await fetch(`${mock.url}/api/v2/integration-schema/shop/actions/${action}/execute`, {
          method: "POST",
          headers: { "x-api-key": "k", linked_account_id: "a", "content-type": "application/json" },
          body: "{}",
        });
        return ((await response.json()) as { data: unknown }).data;
      };
      const first = await call("get_order");
      expect(first).toEqual({ at: "2024-01-01T00:00:00.000Z", id: "string", lines: [{ n: 1 }], note: null });
      expect(await call("get_order")).toEqual(first);
      expect(resultProblem(first, results.shop.get_order.schema as ResultShape)).toBeUndefined();
      expect(await call("create_order")).toMatchObject({ action: "shop.create_order", echo: {} });
      mock.setAnswer("shop", "get_order", (body, account) => ({ body, account }));
      expect(await call("get_order")).toEqual({ body: {}, account: "a" });
      mock.setAnswer("shop", "get_order", undefined);
      expect(await call("get_order")).toEqual(first);
      expect(mock.requests.map((r) => r.path.split("/").pop())).toEqual([
        "execute",
        "execute",
        "execute",
        "execute",
        "execute",
      ]);
    } finally {
      await mock.close();
    }
  });
});

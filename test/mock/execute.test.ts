import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_TIME, startMock, type MockServer } from "../../generator/mock/index.js";
import { call, fixtureApps, makeAgent, paths } from "./fixture.js";

const agent = makeAgent();
let mock: MockServer;

beforeAll(async () => {
  mock = await startMock({ apps: fixtureApps() });
});
afterAll(async () => {
  await mock.close();
  await agent.close();
});

const execute = (app: string, action: string, body: unknown, headers?: Record<string, string>) =>
  call(agent, mock.url, "POST", paths.execute(app, action), { body, ...(headers ? { headers } : {}) });

describe("execute: success", () => {
  it("echoes a write with hostile field names exactly, with a stable id", async () => {
    // Raw JSON text: `__proto__` must arrive as an own key, as JSON.parse on the server sees it.
    const text =
      '{"email":"jane@example.com","__proto__":"p","a\\"b":"q","🎉":true,"address":{"city":"Oslo"},' +
      '"tags":["vip","partner"],"lifecyclestage":"lead","age":42,"lines":["l1"],"meta":{"any":[1,null]},"custom":[1]}';
    const res = await execute("hubspot", "create_contact", text);
    expect(res.status).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ node_status: "Success", http_status: 200 });
    const data = answer.data;
    expect(data).toMatchObject({
      action: "hubspot.create_contact",
      account: "acct-1",
      kind: "write",
      createdAt: MOCK_TIME,
      updatedAt: MOCK_TIME,
      archived: false,
    });
    expect(JSON.stringify(data.echo)).toBe(text);
    expect(JSON.stringify(data.properties)).toBe(text);
    expect(data.id).toMatch(/^mock-[0-9a-f]{12}$/);
    // Same call, same id; the id ignores key order.
    const again = await execute("hubspot", "create_contact", text);
    expect(again.json().data.id).toBe(data.id);
    const reordered = await execute("hubspot", "create_contact", { age: 42, email: "jane@example.com" });
    const ordered = await execute("hubspot", "create_contact", { email: "jane@example.com", age: 42 });
    expect(reordered.json().data.id).toBe(ordered.json().data.id);
    expect(ordered.json().data.id).not.toBe(data.id);
  });

  it("answers reads with a results page", async () => {
    const res = await execute("hubspot", "get_contact", { limit: "1" });
    expect(res.json()).toEqual({
      node_status: "Success",
      http_status: 200,
      data: {
        action: "hubspot.get_contact",
        account: "acct-1",
        echo: { limit: "1" },
        kind: "read",
        results: [
          {
            id: expect.stringMatching(/^mock-/),
            properties: { name: "Sample hubspot record" },
            createdAt: MOCK_TIME,
            updatedAt: MOCK_TIME,
            archived: false,
          },
        ],
        paging: {},
      },
    });
  });

  it.each([
    [
      "a session token's account is 'session'",
      "google-sheets",
      "list_rows",
      undefined,
      { authorization: "Bearer t" },
      "session",
    ],
    ["an empty body means no parameters", "google-sheets", "list_rows", "", undefined, "acct-1"],
    ["an unusable schema accepts any object", "hubspot", "broken_action", { whatever: [1] }, undefined, "acct-1"],
    ["an action id with a slash", "hubspot", "files/upload", {}, undefined, "acct-1"],
    ["an action named __proto__", "google-sheets", "__proto__", { x: "1" }, undefined, "acct-1"],
    [
      "a required flag sent as the string 'true'",
      "google-sheets",
      "append_row",
      { spreadsheet_id: "s", values: null },
      undefined,
      "acct-1",
    ],
    ["httprequest counts as a write", "hubspot", "httprequest", { url: "https://x" }, undefined, "acct-1"],
  ])("%s", async (_name, app, action, body, headers, account) => {
    const res = await execute(app, action, body, headers);
    expect(res.status).toBe(200);
    const data = res.json().data;
    expect(data.account).toBe(account);
    expect(data.action).toBe(`${app}.${action}`);
    expect(data.kind).toBe(action.startsWith("list_") ? "read" : "write");
    expect(data.echo).toEqual(body === undefined || body === "" ? {} : body);
  });
});

describe("execute: validation names the field", () => {
  const ok = { email: "jane@example.com" };
  it.each<[string, unknown, string, (string | number)[]]>([
    ["missing required", {}, "Required parameter 'email' is missing", ["email"]],
    ["string sent as number", { email: 5 }, "Parameter 'email' must be a string, got a number", ["email"]],
    ["string sent as null", { email: null }, "Parameter 'email' must be a string, got null", ["email"]],
    ["number sent as string", { ...ok, age: "42" }, "Parameter 'age' must be a number, got a string", ["age"]],
    [
      "boolean sent as string",
      { ...ok, subscribed: "yes" },
      "Parameter 'subscribed' must be a boolean, got a string",
      ["subscribed"],
    ],
    [
      "select value not an option",
      { ...ok, lifecyclestage: "boss" },
      `Parameter 'lifecyclestage' must be one of "lead", "customer", got "boss"`,
      ["lifecyclestage"],
    ],
    [
      "multiple select sent a scalar",
      { ...ok, tags: "vip" },
      "Parameter 'tags' must be an array, got a string",
      ["tags"],
    ],
    [
      "multiple select with a bad item",
      { ...ok, tags: ["vip", "nope"] },
      `Parameter 'tags[1]' must be one of "vip", "partner", got "nope"`,
      ["tags", 1],
    ],
    [
      "object sent as string",
      { ...ok, address: "Oslo" },
      "Parameter 'address' must be an object, got a string",
      ["address"],
    ],
    [
      "object sent as array",
      { ...ok, address: [] },
      "Parameter 'address' must be an object, got an array",
      ["address"],
    ],
    [
      "nested required missing",
      { ...ok, address: {} },
      "Required parameter 'address.city' is missing",
      ["address", "city"],
    ],
    [
      "nested wrong type",
      { ...ok, address: { city: 1 } },
      "Parameter 'address.city' must be a string, got a number",
      ["address", "city"],
    ],
    [
      "nested unknown field",
      { ...ok, address: { city: "x", planet: "y" } },
      "Unknown parameter 'address.planet'",
      ["address", "planet"],
    ],
    [
      "array item of the wrong type",
      { ...ok, lines: ["a", 2] },
      "Parameter 'lines[1]' must be a string, got a number",
      ["lines", 1],
    ],
    ["array sent as string", { ...ok, lines: "a" }, "Parameter 'lines' must be an array, got a string", ["lines"]],
    ["unknown field", { ...ok, emial: "x" }, "Unknown parameter 'emial'", ["emial"]],
    ["constructor is not a field", { ...ok, constructor: "x" }, "Unknown parameter 'constructor'", ["constructor"]],
    ["toString is not a field", { ...ok, toString: "x" }, "Unknown parameter 'toString'", ["toString"]],
    [
      "__proto__ of the wrong type",
      '{"email":"x","__proto__":5}',
      "Parameter '__proto__' must be a string, got a number",
      ["__proto__"],
    ],
    ["a quote in the name", { ...ok, 'a"b': 1 }, `Parameter 'a"b' must be a string, got a number`, ['a"b']],
    ["an emoji name", { ...ok, "🎉": "yes" }, "Parameter '🎉' must be a boolean, got a string", ["🎉"]],
    ["a near-miss of a hostile name", { ...ok, "a'b": "x" }, "Unknown parameter 'a'b'", ["a'b"]],
    ["body not JSON", "{not json", "Request body is not valid JSON", []],
    ["body an array", [ok], "Request body must be a JSON object, got an array", []],
    ["body a string", '"email"', "Request body must be a JSON object, got a string", []],
  ])("%s", async (_name, body, message, fieldPath) => {
    const res = await execute("hubspot", "create_contact", body);
    expect(res.status).toBe(400);
    const envelope = res.json();
    expect(envelope).toMatchObject({
      status_code: 400,
      http_error_type: "BAD_REQUEST",
      error_code: "VALIDATION_ERROR",
      message,
    });
    if (fieldPath.length > 0) expect(envelope.field_path).toEqual(fieldPath);
  });

  it("checks every app's own schema (required given as a string)", async () => {
    const res = await execute("google-sheets", "append_row", { values: [] });
    expect(res.json().message).toBe("Required parameter 'spreadsheet_id' is missing");
  });

  it("an action whose payload is unusable still wants an object", async () => {
    const res = await execute("hubspot", "broken_action", "[1]");
    expect(res.status).toBe(400);
  });
});

import { MockAgent } from "undici";
import { describe, expect, it } from "vitest";
import { RefoldClient, RefoldConfigError } from "../../templates/runtime/index.js";
import type { ActionSpec } from "../../templates/runtime/types.js";
import { ACCOUNT, API_KEY, SESSION_TOKEN, createContact, getContact, httpRequest, useTestServer } from "./fixtures.js";
import { ok } from "./server.js";

const { server, client } = useTestServer();

describe("the execute request", () => {
  it("POSTs the flat params to the execute path with the API key and linked account", async () => {
    server.script(ok({ id: "101", properties: { email: "jane@example.com" } }));
    const data = await client({ headers: { "X-Trace": "t-1" } }).run(createContact, {
      email: "jane@example.com",
      firstname: "Jane",
      age: undefined,
    });
    expect(data).toEqual({ id: "101", properties: { email: "jane@example.com" } });
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/v2/integration-schema/hubspot/actions/create_contact/execute");
    expect(request?.body).toBe('{"email":"jane@example.com","firstname":"Jane"}');
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "x-api-key": API_KEY,
      linked_account_id: ACCOUNT,
      "x-trace": "t-1",
    });
    expect(request?.headers["user-agent"]).toMatch(/^refold-codegen-runtime\//);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("sends {} when params are omitted and encodes app and action in the path", async () => {
    const odd: ActionSpec = { app: "my app", action: "get/../x", kind: "read", fields: [] };
    await client().run(odd, undefined);
    expect(server.requests[0]?.url).toBe("/api/v2/integration-schema/my%20app/actions/get%2F..%2Fx/execute");
    expect(server.requests[0]?.body).toBe("{}");
  });

  it.each([
    ["trailing slashes", (url: string) => `${url}///`, "/api/v2/"],
    ["a base path", (url: string) => `${url}/proxy/`, "/proxy/api/v2/"],
  ])("tolerates %s in baseUrl", async (_name, makeUrl, prefix) => {
    await client({ baseUrl: makeUrl(server.url) }).run(getContact, {});
    expect(server.requests[0]?.url.startsWith(prefix)).toBe(true);
  });

  it("resolves { success: true, data } envelopes to data", async () => {
    server.script({ json: { success: true, data: [1, 2] } });
    await expect(client().run(getContact, {})).resolves.toEqual([1, 2]);
  });

  it("uses the per-call linked account over forAccount over the client default", async () => {
    const refold = client();
    await refold.run(getContact, {});
    await refold.forAccount("bound-7").run(getContact, {});
    await refold.forAccount("bound-7").run(getContact, {}, { linkedAccountId: "call-9" });
    expect(server.requests.map((request) => request.headers["linked_account_id"])).toEqual([
      ACCOUNT,
      "bound-7",
      "call-9",
    ]);
  });

  it("sends a session token as a bearer token, with no API key and no implicit linked account", async () => {
    const refold = client({ apiKey: undefined, sessionToken: SESSION_TOKEN, linkedAccountId: undefined });
    await refold.run(getContact, {});
    await refold.run(getContact, {}, { linkedAccountId: "explicit-1" });
    const [first, second] = server.requests;
    expect(first?.headers.authorization).toBe(`Bearer ${SESSION_TOKEN}`);
    expect(first?.headers["x-api-key"]).toBeUndefined();
    expect(first?.headers["linked_account_id"]).toBeUndefined();
    expect(second?.headers["linked_account_id"]).toBe("explicit-1");
  });

  it("refuses an API-key call without a linked account before sending anything", async () => {
    const refold = client({ linkedAccountId: undefined });
    const error = await refold.run(getContact, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldConfigError);
    expect(String(error)).toMatch(/linked account/);
    expect((error as RefoldConfigError).app).toBe("hubspot");
    expect(server.requests).toHaveLength(0);
  });

  it("sends any key for an action without declared fields", async () => {
    await client().run(httpRequest, { method: "GET", url: "/crm/v3/objects/contacts" });
    expect(server.requests[0]?.json).toEqual({ method: "GET", url: "/crm/v3/objects/contacts" });
  });

  it("reuses one keep-alive connection across calls", async () => {
    const refold = client();
    for (let i = 0; i < 5; i++) await refold.run(getContact, {});
    expect(server.requests.every((request) => request.headers.connection !== "close")).toBe(true);
  });
});

describe("with undici's MockAgent as dispatcher", () => {
  it("runs against the mock without touching the network", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://app.refold.ai")
      .intercept({
        path: "/api/v2/integration-schema/hubspot/actions/get_contact/execute",
        method: "POST",
        headers: { "x-api-key": API_KEY, linked_account_id: ACCOUNT },
        body: '{"limit":"1"}',
      })
      .reply(200, { node_status: "Success", data: { results: [{ id: "1" }] } });
    const refold = new RefoldClient({ apiKey: API_KEY, linkedAccountId: ACCOUNT, dispatcher: agent });
    await expect(refold.run(getContact, { limit: "1" })).resolves.toEqual({ results: [{ id: "1" }] });
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});

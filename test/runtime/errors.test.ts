import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  RefoldActionError,
  RefoldAuthenticationError,
  RefoldError,
  RefoldHttpError,
  RefoldNotFoundError,
  RefoldRateLimitError,
  RefoldResponseError,
  RefoldServerError,
  RefoldValidationError,
  type RefoldClient,
  type RefoldClientOptions,
} from "../../templates/runtime/index.js";
import { ACCOUNT, API_KEY, SESSION_TOKEN, createContact, getContact, useTestServer } from "./fixtures.js";
import type { Reply } from "./server.js";

const fixture = useTestServer();
const { server } = fixture;
const client = (options: Partial<RefoldClientOptions> = {}): RefoldClient =>
  fixture.client({ maxRetries: 0, ...options });
const failure = (promise: Promise<unknown>): Promise<RefoldError> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as RefoldError,
  );

/** Every place a secret could leak from an error. */
function renderings(error: unknown): string[] {
  return [JSON.stringify(error), String(error), (error as Error).stack ?? "", inspect(error, { depth: 10 })];
}

const envelope = (status: number, code: string, message: string) => ({
  status,
  json: { status_code: status, http_error_type: code, error_code: code, message, request_id: `req_${status}` },
});

describe("HTTP errors", () => {
  const table: [string, Reply, typeof RefoldHttpError, Record<string, unknown>][] = [
    [
      "400",
      envelope(400, "VALIDATION_ERROR", "Required parameter 'email' is missing"),
      RefoldValidationError,
      { status: 400, errorCode: "VALIDATION_ERROR", requestId: "req_400" },
    ],
    ["422", { status: 422, json: { error: "UNPROCESSABLE" } }, RefoldValidationError, { errorCode: "UNPROCESSABLE" }],
    ["401", envelope(401, "UNAUTHORIZED", "Invalid Credentials"), RefoldAuthenticationError, { status: 401 }],
    ["403", { status: 403, json: { message: "Forbidden" } }, RefoldAuthenticationError, { status: 403 }],
    [
      "404",
      envelope(404, "NOT_FOUND", "Action no_such_action not found in Application hubspot"),
      RefoldNotFoundError,
      { status: 404, httpErrorType: "NOT_FOUND" },
    ],
    [
      "429",
      { status: 429, headers: { "retry-after": "7" }, json: { message: "slow down" } },
      RefoldRateLimitError,
      { retryAfterMs: 7000 },
    ],
    ["500", envelope(500, "INTERNAL", "boom"), RefoldServerError, { status: 500, requestId: "req_500" }],
    [
      "502 HTML page",
      {
        status: 502,
        body: "<html>Bad gateway</html>",
        headers: { "content-type": "text/html", "x-request-id": "rid-9" },
      },
      RefoldServerError,
      { status: 502, body: "<html>Bad gateway</html>", requestId: "rid-9" },
    ],
    ["418", { status: 418, json: {} }, RefoldHttpError, { status: 418 }],
  ];

  it.each(table)("maps %s to its class", async (_name, reply, ErrorClass, props) => {
    server.script(reply);
    const error = await failure(client().run(getContact, {}));
    expect(error.constructor).toBe(ErrorClass);
    expect(error).toBeInstanceOf(RefoldHttpError);
    expect(error).toBeInstanceOf(RefoldError);
    expect(error).toMatchObject({ app: "hubspot", action: "get_contact", attempts: 1, ...props });
    expect(error.name).toBe(ErrorClass.name);
    expect(error.message).toMatch(/^hubspot\.get_contact: HTTP \d{3}/);
  });

  it("puts the server's message in the error message", async () => {
    server.script(envelope(400, "VALIDATION_ERROR", "Required parameter 'email' is missing"));
    const error = await failure(client().run(getContact, {}));
    expect(error.message).toBe("hubspot.get_contact: HTTP 400 VALIDATION_ERROR: Required parameter 'email' is missing");
  });
});

describe("envelopes", () => {
  it.each([
    [
      "an Errored node_status",
      { node_status: "Errored", http_status: 400, data: { message: "Property x does not exist" } },
      "Errored",
      400,
    ],
    ["Timed_Out", { node_status: "Timed_Out", data: null }, "Timed_Out", undefined],
    ["success: false", { success: false, data: { error: "nope" } }, undefined, undefined],
  ])("rejects %s with RefoldActionError", async (_name, json, nodeStatus, httpStatus) => {
    server.script({ json });
    const error = await failure(client().run(createContact, { email: "a@b.c" }));
    expect(error).toBeInstanceOf(RefoldActionError);
    expect(error).toMatchObject({ status: 200, nodeStatus, httpStatus, data: json.data });
  });

  it.each([
    ["malformed JSON", { body: '{"node_status": "Succ' }, /not valid JSON/],
    ["an empty body", { body: "" }, /empty/],
    ["a bare array", { json: [1, 2] }, /not a Refold envelope/],
    ["an object without node_status", { json: { data: 1 } }, /not a Refold envelope/],
  ])("rejects %s with RefoldResponseError", async (_name, reply, message) => {
    server.script(reply);
    const error = await failure(client().run(getContact, {}));
    expect(error).toBeInstanceOf(RefoldResponseError);
    expect(error.message).toMatch(message);
    expect(error.status).toBe(200);
  });

  it("rejects a body cut off mid-way with a truncated RefoldResponseError", async () => {
    server.script({ fault: "truncate", partial: '{"node_status":"Success","data":' });
    const error = await failure(client().run(createContact, { email: "a@b.c" }));
    expect(error).toBeInstanceOf(RefoldResponseError);
    expect((error as RefoldResponseError).truncated).toBe(true);
  });
});

describe("secrets never leak from errors", () => {
  // A hostile or buggy server that echoes the credentials back in its error body and message.
  const echo = (status: number): Reply => ({
    status,
    json: {
      message: `bad key ${API_KEY} / token ${SESSION_TOKEN} for ${ACCOUNT}`,
      error_code: API_KEY,
      echoed: { headers: { "x-api-key": API_KEY, [API_KEY]: SESSION_TOKEN }, account: ACCOUNT },
    },
  });

  it.each([400, 401, 500])("scrubs an echoed API key from a %i error", async (status) => {
    server.script(echo(status));
    const error = await failure(client().run(getContact, {}));
    for (const text of renderings(error)) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(ACCOUNT);
    }
    expect(JSON.stringify(error)).toContain("[redacted]");
  });

  it("scrubs a session token from an action error", async () => {
    server.script({ json: { node_status: "Errored", data: { message: `token ${SESSION_TOKEN} expired` } } });
    const refold = client({ apiKey: undefined, sessionToken: SESSION_TOKEN });
    const error = await failure(refold.run(getContact, {}));
    for (const text of renderings(error)) expect(text).not.toContain(SESSION_TOKEN);
  });

  it("includes the linked account only when the caller opts in", async () => {
    server.script(
      envelope(404, "NOT_FOUND", `no account ${ACCOUNT}`),
      envelope(404, "NOT_FOUND", `no account ${ACCOUNT}`),
    );
    const hidden = await failure(client().run(getContact, {}));
    expect(hidden.linkedAccountId).toBeUndefined();
    expect(JSON.stringify(hidden)).not.toContain(ACCOUNT);
    const shown = await failure(client({ includeLinkedAccountId: true }).run(getContact, {}));
    expect(shown.linkedAccountId).toBe(ACCOUNT);
    expect(shown.message).toContain(ACCOUNT);
  });

  it("gives a safe, complete toJSON", async () => {
    server.script(envelope(500, "INTERNAL", "boom"));
    const json = JSON.parse(JSON.stringify(await failure(client().run(getContact, {})))) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: "RefoldServerError",
      app: "hubspot",
      action: "get_contact",
      status: 500,
      requestId: "req_500",
      attempts: 1,
    });
    expect(json["message"]).toContain("boom");
  });
});

// One way to encode a path segment: the generator's (util/api-paths.ts: the pull, the OpenAPI document) and the
// runtime's own copy (templates/runtime/request.ts) send the same path for any slug and action id.
import { describe, expect, it } from "vitest";
import { actionsPath, encodeSegment, executePath } from "../../generator/util/api-paths.js";
import { resolveOptions } from "../../templates/runtime/options.js";
import { Scrubber } from "../../templates/runtime/redact.js";
import { RequestBuilder } from "../../templates/runtime/request.js";

const HOSTILE = [".", "..", "...", "a.b", "a/b", "a b", "ü", "%", "%2E", "?x=1", "#top", "\u{1F600}", "plain_id", "-"];

describe("API paths", () => {
  const builder = new RequestBuilder(
    resolveOptions({
      apiKey: "tk_test",
      baseUrl: "http://127.0.0.1:9",
      linkedAccountId: "a",
      fetch: () => Promise.reject(new Error("unused")),
    }),
  );
  const ctx = { app: "", action: "", account: "a", showAccount: false, scrubber: new Scrubber([], false) };

  it.each(HOSTILE)("encode %j the runtime's way in the generator", (value) => {
    const spec = { app: value, action: value, kind: "read" as const, fields: [] };
    expect(executePath(value, value)).toBe(builder.execute(spec, {}, "a", ctx).path);
  });

  it("never leave a segment that a URL normalizer reads as a step", () => {
    for (const value of HOSTILE) {
      const segment = encodeSegment(value);
      expect([".", ".."]).not.toContain(segment);
      expect(segment).not.toMatch(/[/?#]/);
    }
    expect(actionsPath("..", ".")).toBe("/api/v2/integration-schema/%2E%2E/actions/%2E");
  });
});

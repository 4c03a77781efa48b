// The config's defaults live in generator/config/defaults.ts; the published JSON Schema states them for editors, and
// the runtime (which imports nothing from the generator) has its own default base URL: all of them agree.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS } from "../../generator/config/defaults.js";
import { resolveOptions } from "../../templates/runtime/options.js";

const schema = JSON.parse(readFileSync("generator/config.schema.json", "utf8")) as {
  properties: Record<string, { default?: unknown }>;
};

describe("the config's defaults", () => {
  it.each(["baseUrl", "output", "lockfile", "results", "concurrency"] as const)(
    "%s: the schema states the one in defaults.ts",
    (key) => {
      expect(schema.properties[key]?.default).toEqual(CONFIG_DEFAULTS[key]);
    },
  );

  it("pageStart: the schema states the one in defaults.ts", () => {
    const pagination = schema.properties["pagination"] as unknown as {
      additionalProperties: {
        additionalProperties: { properties: { page: { properties: { start: { default?: unknown } } } } };
      };
    };
    expect(pagination.additionalProperties.additionalProperties.properties.page.properties.start.default).toBe(
      CONFIG_DEFAULTS.pageStart,
    );
  });

  it("baseUrl: the runtime sends to the same host when given none", () => {
    const resolved = resolveOptions({ apiKey: "tk_test", fetch: () => Promise.reject(new Error("unused")) });
    expect(resolved.baseUrl.origin + resolved.baseUrl.basePath).toBe(CONFIG_DEFAULTS.baseUrl);
  });
});

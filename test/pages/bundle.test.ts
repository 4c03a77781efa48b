// The pager is bundled only with apps that declare pagination: the runtime plus Jira (none declared) holds no
// byte of runtime/pages.ts, the runtime plus HubSpot (get_contact declared) does.
import { describe, expect, it } from "vitest";
import { bundle, HUBSPOT_ONLY_ENTRY } from "../runtimes/bundle.js";
import { ROOT } from "../runtimes/harness.js";

const JIRA_ONLY_ENTRY = HUBSPOT_ONLY_ENTRY.replace(
  'createHubspotClient } from "./generated/hubspot.js"',
  'createJiraClient } from "./generated/jira.js"',
).replace(
  '{ hubspot: { slug: "hubspot", create: createHubspotClient } }',
  '{ jira: { slug: "jira", create: createJiraClient } }',
);

describe("the browser bundle and the pager", () => {
  it("leaves runtime/pages.ts out of an app without declared pagination, and puts it in one with", async () => {
    expect(JIRA_ONLY_ENTRY).toContain("createJiraClient");
    const jira = await bundle(ROOT, { contents: JIRA_ONLY_ENTRY }, "browser", { minify: true });
    expect(jira.inputs).toContain("generated/jira.ts");
    expect(jira.inputs).not.toContain("generated/runtime/pages.ts");
    expect(jira.text).not.toContain("the next cursor repeats");
    const hubspot = await bundle(ROOT, { contents: HUBSPOT_ONLY_ENTRY }, "browser", { minify: true });
    expect(hubspot.inputs).toContain("generated/runtime/pages.ts");
    expect(hubspot.text).toContain("the next cursor repeats");
  });
});

// The generated client's types around actions: literal action lists, the id -> params/result map, `await using`.
import { linkedProject } from "../helpers/project.js";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
let dir: string;

const USAGE = `import {
  createRefold,
  jiraActions,
  type HubspotActionTypes,
  type HubspotGetContactResult,
  type JiraActionId,
  type JiraActionTypes,
  type JiraClient,
  type JiraCreateIssueParams,
  type RefoldAccount,
  type RefoldConnections,
  type SessionToken,
} from "./out/index.js";

export const id: JiraActionId = "create_issue";
// @ts-expect-error not an action of jira
export const notJira: JiraActionId = "create_contact";
export type ListedIds = (typeof jiraActions)[number]["actionId"];
export const listed: ListedIds = "get_issue";
// @ts-expect-error the list's ids are the app's
export const notListed: ListedIds = "nope";
export const method: keyof JiraClient = jiraActions[0]!.method;
// @ts-expect-error the list's methods are the client's
export const notMethod: "nope" = jiraActions[0]!.method;
export const params: JiraActionTypes["create_issue"]["params"] = {} as JiraCreateIssueParams;
export const result: HubspotActionTypes["get_contact"]["result"] = {} as HubspotGetContactResult;
export const untyped: JiraActionTypes["get_issue"]["result"] = 1 as unknown;

export async function tenants(apiKey: string): Promise<void> {
  const refold = createRefold({ apiKey });
  const account: RefoldAccount = refold.forAccount("customer-42");
  const connections: RefoldConnections = await account.connections();
  const reauth: boolean = connections.jira.reauthRequired;
  const status: "active" | "expired" | undefined = connections.hubspot.status;
  // @ts-expect-error only configured apps are keys
  void connections.zendesk;
  const token: SessionToken = await refold.sessionToken("customer-42");
  void [reauth, status, token.token, token.refreshToken, token.expiresIn];
  await refold.close();
}
`;

const DISPOSE = `import { createRefold } from "./out/index.js";

export async function scoped(apiKey: string): Promise<void> {
  await using refold = createRefold({ apiKey, linkedAccountId: "customer-42" });
  await refold.jira.getCurrentUser();
}
`;

async function tsc(lib: string[], files: string[]): Promise<string> {
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [resolve("node_modules/@types")],
  };
  const name = `tsconfig.${lib.join("-")}.json`;
  await writeFile(join(dir, name), JSON.stringify({ compilerOptions, files: [...files, "out/index.ts"] }));
  try {
    await run(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", name], { cwd: dir });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

beforeAll(async () => {
  dir = await linkedProject("types", { withGenerated: true, files: { "usage.ts": USAGE, "dispose.ts": DISPOSE } });
});

describe("the generated types around actions", () => {
  it("narrow action lists to the app's ids and methods, map ids to params and results, type connections and tokens", async () => {
    expect(await tsc(["ES2022"], ["usage.ts"])).toBe("");
  }, 60_000);

  it("let `await using` close the client (Symbol.asyncDispose, which @types/node and ES2024 libraries declare)", async () => {
    expect(await tsc(["ES2022", "esnext.disposable"], ["dispose.ts"])).toBe("");
  }, 60_000);
});

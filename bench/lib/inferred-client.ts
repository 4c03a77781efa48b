/*
 * The IDE baseline of the performance issue: "a simple client for the same 1500 actions whose
 * createRefold return type was inferred from object literals", in one module, parameter types written
 * inline as type literals (nothing declared), with the same member docs.
 */
import type { Corpus } from "../corpus.js";
import { camelCase, member, shapesOf } from "./shape.js";

const doc = (text: string) => text.replace(/\*\//g, "*\\/").replace(/\n/g, " ");

export function inferredClient(corpus: Corpus): string {
  const apps: string[] = [];
  for (const [slug, app] of Object.entries(corpus.apps)) {
    const methods: string[] = [];
    const entries = [...app.actions].sort((a, b) => (a.action_id < b.action_id ? -1 : 1));
    for (const entry of entries) {
      const id = entry.action_id;
      const fields = shapesOf(app.parameters[id]);
      // The parameter type is written inline, as a type literal: nothing is declared.
      const members = fields.map((field) => {
        const text = [field.label, field.description].filter((t) => t !== undefined).join(" — ");
        return `${text === "" ? "" : `        /** ${doc(text)} */\n`}        ${member(field)};\n`;
      });
      const optional = fields.some((field) => field.required) ? "" : "?";
      methods.push(
        `      /** ${doc(String(entry.description ?? ""))} */\n      ${camelCase(id)}: (\n        params${optional}: {\n${members.join("").replace(/^ {8}/gm, "          ")}        },\n        callOptions?: CallOptions,\n      ) => send(${JSON.stringify(slug)}, ${JSON.stringify(id)}, params, options, callOptions),\n`,
      );
    }
    apps.push(`    ${camelCase(slug)}: {\n${methods.join("")}    },\n`);
  }
  return `export interface ClientOptions {
  apiKey: string;
  linkedAccountId?: string;
  baseUrl?: string;
}

export interface CallOptions {
  linkedAccountId?: string;
}

async function send(
  app: string,
  action: string,
  params: object | undefined,
  options: ClientOptions,
  callOptions: CallOptions | undefined,
): Promise<unknown> {
  const response = await fetch(\`\${options.baseUrl ?? "https://app.refold.ai"}/api/v2/integration-schema/\${app}/actions/\${action}/execute\`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": options.apiKey,
      linked_account_id: callOptions?.linkedAccountId ?? options.linkedAccountId ?? "",
    },
    body: JSON.stringify(params ?? {}),
  });
  const json = (await response.json()) as { data?: unknown };
  return json.data;
}

export function createRefold(options: ClientOptions) {
  return {
${apps.join("")}  };
}
`;
}

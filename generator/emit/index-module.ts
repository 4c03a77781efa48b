import type { AppNames } from "../model/types.js";
import type { EmittedSource } from "./app-module.js";
import { identifier, stringLiteral } from "./escape.js";
import { GENERATED_HEADER } from "./header.js";
import { writeImport } from "./imports.js";
import { SourceWriter } from "./writer.js";

/** The source of `index.ts`: `createRefold`, `forAccount`, and re-exports of the runtime and every app module. */
export function emitIndexModule(apps: readonly AppNames[]): EmittedSource {
  const w = new SourceWriter();
  w.line(GENERATED_HEADER);
  writeImport(w, ["RefoldClient", "type ActionRunner", "type RefoldClientOptions"], "./runtime/index.js");
  for (const app of apps)
    writeImport(w, [identifier(app.factory), `type ${identifier(app.clientType)}`], `./${app.file}.js`);
  w.line();
  w.line('export * from "./runtime/index.js";');
  for (const app of apps) w.line(`export * from ${stringLiteral(`./${app.file}.js`)};`);
  w.line();
  w.doc(["The configured apps, one property per app, each with one method per action."]);
  if (apps.length === 0) {
    w.line("export interface RefoldApps {}");
  } else {
    w.block("export interface RefoldApps {", () => {
      for (const app of apps) {
        w.doc([`The \`${app.slug}\` app.`]);
        w.line(`readonly ${identifier(app.property)}: ${identifier(app.clientType)};`);
      }
    });
  }
  w.line();
  w.doc(["A Refold client: every configured app, plus `forAccount` to bind a linked account once."]);
  w.block("export interface Refold extends RefoldApps {", () => {
    w.doc([
      "Returns the same apps bound to one linked account (end customer). A per-call `linkedAccountId` still wins.",
    ]);
    w.line("forAccount(linkedAccountId: string): RefoldApps;");
  });
  w.line();
  w.doc(["Creates a typed Refold client. The API key must stay on the server: never ship it to a browser."]);
  w.block("export function createRefold(options: RefoldClientOptions): Refold {", () => {
    w.line("const client = new RefoldClient(options);");
    w.line(
      "return { ...bindApps(client), forAccount: (linkedAccountId) => bindApps(client.forAccount(linkedAccountId)) };",
    );
  });
  w.line();
  w.block("function bindApps(runner: ActionRunner): RefoldApps {", () => {
    if (apps.length === 0) {
      w.line("void runner;");
      w.line("return {};");
      return;
    }
    w.block(
      "return {",
      () => {
        for (const app of apps) w.line(`${identifier(app.property)}: ${identifier(app.factory)}(runner),`);
      },
      "};",
    );
  });
  return { source: w.toString() };
}

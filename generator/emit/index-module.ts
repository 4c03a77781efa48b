import type { AppNames } from "../model/types.js";
import type { EmittedSource } from "./app-module.js";
import { identifier, stringLiteral } from "./escape.js";
import { GENERATED_HEADER } from "./header.js";
import { writeImport } from "./imports.js";
import { SourceWriter } from "./writer.js";

/**
 * The source of `index.ts`: the apps, `forAccount`, `connections`, `sessionToken`, `close` and `createRefold`
 * (built by the runtime's createRoot), and re-exports of the runtime and every app module.
 */
export function emitIndexModule(apps: readonly AppNames[]): EmittedSource {
  const w = new SourceWriter();
  w.line(GENERATED_HEADER);
  writeImport(
    w,
    [
      "RefoldClient",
      "createRoot",
      "type AsyncDisposableClient",
      "type CallOptions",
      ...(apps.length > 0 ? ["type Connection"] : []),
      "type RefoldClientOptions",
      "type SessionToken",
    ],
    "./runtime/index.js",
  );
  for (const app of apps)
    writeImport(w, [identifier(app.factory), `type ${identifier(app.clientType)}`], `./${app.file}.js`);
  w.line();
  w.line('export * from "./runtime/index.js";');
  for (const app of apps) w.line(`export * from ${stringLiteral(`./${app.file}.js`)};`);
  writeAppsInterfaces(w, apps);
  writeRootInterfaces(w);
  w.line();
  w.block(
    "const APPS = {",
    () => {
      for (const app of apps)
        w.line(
          `${identifier(app.property)}: { slug: ${stringLiteral(app.slug)}, create: ${identifier(app.factory)} },`,
        );
    },
    "};",
  );
  w.line();
  w.doc(["Creates a typed Refold client. The API key must stay on the server: never ship it to a browser."]);
  w.block("export function createRefold(options: RefoldClientOptions): Refold & AsyncDisposableClient {", () =>
    w.line("return createRoot(new RefoldClient(options), APPS) as Refold & AsyncDisposableClient;"),
  );
  return { source: w.toString() };
}

/** `RefoldApps` (one property per app) and `RefoldConnections` (one connection per app). */
function writeAppsInterfaces(w: SourceWriter, apps: readonly AppNames[]): void {
  const members = (type: (app: AppNames) => string) => () => {
    for (const app of apps) w.line(`readonly ${identifier(app.property)}: ${type(app)};`);
  };
  w.line();
  w.doc(["The configured apps, one property per app (its slug in camelCase), each with one method per action."]);
  if (apps.length === 0) w.line("export interface RefoldApps {}");
  else
    w.block(
      "export interface RefoldApps {",
      members((app) => identifier(app.clientType)),
    );
  w.line();
  w.doc(["Whether one linked account has connected each configured app, keyed like the apps."]);
  if (apps.length === 0) w.line("export interface RefoldConnections {}");
  else
    w.block(
      "export interface RefoldConnections {",
      members(() => "Connection"),
    );
}

function writeRootInterfaces(w: SourceWriter): void {
  w.line();
  w.doc(["The apps for one linked account (end customer), and which of them it has connected."]);
  w.block("export interface RefoldAccount extends RefoldApps {", () => {
    w.doc(["One request (`GET /api/v2/public/application`): each configured app's connection for this account."]);
    w.line("connections(options?: CallOptions): Promise<RefoldConnections>;");
  });
  w.line();
  w.doc(["A Refold client: every configured app for the default linked account, and the calls around them."]);
  w.block("export interface Refold extends RefoldAccount {", () => {
    w.doc(["The apps bound to one linked account. Costs one object; a call's own `linkedAccountId` still wins."]);
    w.line("forAccount(linkedAccountId: string): RefoldAccount;");
    w.doc([
      "A session token for one linked account, to hand to a browser instead of the API key (API key clients only).",
    ]);
    w.line(
      "sessionToken(linkedAccountId: string, options?: CallOptions & { forceRefresh?: boolean }): Promise<SessionToken>;",
    );
    w.doc(["Closes the connection pool the client owns, so the process can exit."]);
    w.line("close(): Promise<void>;");
  });
}

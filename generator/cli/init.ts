import type { InitResult } from "../commands/init.js";
import { ExitCode } from "../util/diagnostics.js";
import { out, run, warn } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen init`: a starter config, the linked account, the runtime dependency. */
export const initCommand: Command = (program) =>
  program.command(
    "init",
    "Write a starter refold.codegen.json (apps and linked account from your org when REFOLD_API_KEY is set)",
    (y) =>
      y
        .option("force", {
          type: "boolean",
          default: false,
          describe: "Overwrite an existing config (and `generate` script)",
        })
        .option("add-script", {
          type: "boolean",
          default: false,
          describe: 'Add "generate": "refold-codegen generate" to package.json',
        })
        .option("linked-account-id", {
          type: "string",
          describe: "The linked account to read schemas with (default REFOLD_LINKED_ACCOUNT_ID, else the org's first)",
        })
        .option("install", {
          type: "boolean",
          default: true,
          describe:
            "Add undici (the generated client's runtime dependency) with your package manager; --no-install only writes it into package.json",
        })
        .example(
          "REFOLD_API_KEY=tk_... $0 init --add-script",
          "start from your org's apps and its first linked account",
        ),
    (argv) =>
      run(argv, async () => {
        const { init } = await import("../commands/init.js");
        const account = argv["linked-account-id"];
        const result = await init({
          config: argv.config,
          force: argv.force,
          addScript: argv["add-script"],
          install: argv.install,
          ...(account !== undefined ? { linkedAccountId: account } : {}),
        });
        warn(argv, result.diagnostics);
        if (argv.json) out(JSON.stringify({ ok: true, ...result }, null, 2));
        else if (!argv.quiet) for (const line of describeInit(result)) out(line);
        return ExitCode.ok;
      }),
  );

/** What `init` did, for humans: the config, where its values came from, and the runtime dependency. */
function describeInit(result: InitResult): string[] {
  const from = result.source === "api" ? "your org's apps" : "a placeholder app: edit apps";
  const account =
    result.linkedAccountSource === "placeholder"
      ? "a placeholder linked account: edit linkedAccountId"
      : `linked account ${result.linkedAccountId}`;
  const lines = [`wrote ${result.configPath} with ${result.apps.join(", ")} (${from}) and ${account}`];
  if (result.scriptAdded) lines.push('added "generate": "refold-codegen generate" to package.json');
  if (result.runtimeDependency === "installed")
    lines.push("added undici to your dependencies (the generated client uses it at run time)");
  if (result.runtimeDependency === "written")
    lines.push("wrote undici into package.json's dependencies: run your package manager's install");
  lines.push("next: REFOLD_API_KEY=<key> npx refold-codegen generate");
  return lines;
}

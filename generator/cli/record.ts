import type { RecordResult } from "../commands/record.js";
import { codegenError, ExitCode } from "../util/diagnostics.js";
import { describeAdvice } from "../commands/pagination-advice.js";
import { out, run } from "./output.js";
import type { Command } from "./command.js";

/** `refold-codegen record <app> <action_id>`: learn an action's result shape into the results file. */
export const recordCommand: Command = (program) =>
  program.command(
    "record <app> <action>",
    "Learn the shape of an action's result (one live run, a saved answer, or a declared JSON Schema)",
    (y) =>
      y
        .positional("app", { type: "string", demandOption: true, describe: "The app's slug, e.g. hubspot" })
        .positional("action", { type: "string", demandOption: true, describe: "The action id, e.g. get_contact" })
        .option("params", { type: "string", describe: "Parameters of the live run, as JSON (default {})" })
        .option("from", {
          type: "string",
          array: true,
          describe: "Saved answers to learn from instead ({ node_status, data } or just data); no network",
        })
        .option("schema", { type: "string", describe: "A declared JSON Schema of the result's data; no network" })
        .option("allow-write", { type: "boolean", default: false, describe: "Let the live run execute a write action" })
        .conflicts({ from: ["schema", "params"], schema: ["params"] })
        .example('$0 record hubspot get_contact --params \'{"limit":"1"}\'', "run a read once and learn its shape")
        .example("$0 record hubspot create_contact --from answer.json", "learn from an answer saved from a log"),
    (argv) =>
      run(argv, async () => {
        const { record } = await import("../commands/record.js");
        const result = await record(String(argv.app), String(argv.action), {
          config: argv.config,
          ...(argv.params !== undefined ? { params: parseParams(argv.params) } : {}),
          ...(argv.from !== undefined ? { from: argv.from.map(String) } : {}),
          ...(argv.schema !== undefined ? { schema: argv.schema } : {}),
          allowWrite: argv["allow-write"],
        });
        if (argv.json) out(JSON.stringify({ ok: true, ...result }, null, 2));
        else if (!argv.quiet) for (const line of describeRecord(result)) out(line);
        return ExitCode.ok;
      }),
  );

function parseParams(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    value = error;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Error))
    return value as Record<string, unknown>;
  const message = `--params must be a JSON object, e.g. '{"limit":"1"}'`;
  throw codegenError(message, "usage");
}

/** Lines of changes (and of limits) printed before the rest is summarized; `--json` lists everything. */
const SHOWN = 20;

/**
 * What was learned: the sample count, where a limit applied, and every change of the shape, breaking ones
 * marked. A long list is summarized (counts by kind, the first lines), so a huge answer never floods the
 * terminal: `--json` lists everything.
 */
export function describeRecord(result: RecordResult): string[] {
  const where = `${result.app} ${result.action}`;
  const head =
    result.source === "schema"
      ? `${where}: declared result schema recorded in ${result.resultsPath}`
      : `${where}: ${result.samples} sample${result.samples === 1 ? "" : "s"} merged into ${result.resultsPath}`;
  const lines = [head];
  lines.push(
    ...shown(
      result.limits.map((note) => `  limit: ${note.message}`),
      "limits",
    ),
  );
  if (result.changes.length === 0) lines.push("  the shape did not change");
  else {
    if (result.changes.length > SHOWN) {
      const counts = new Map<string, number>();
      for (const change of result.changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
      const breaking = result.changes.filter((change) => change.breaking).length;
      const summary = [...counts].map(([kind, count]) => `${count} ${kind}`).join(", ");
      lines.push(`  ${result.changes.length} changes (${breaking} breaking): ${summary}`);
    }
    lines.push(
      ...shown(
        result.changes.map((change) => `  ${change.breaking ? "BREAKING " : ""}${change.message}`),
        "changes",
      ),
    );
  }
  lines.push(...describeAdvice(result.app, result.action, result.pagination));
  return lines;
}

function shown(lines: string[], what: string): string[] {
  if (lines.length <= SHOWN) return lines;
  return [...lines.slice(0, SHOWN), `  ... and ${lines.length - SHOWN} more ${what} (--json lists them all)`];
}

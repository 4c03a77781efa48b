/** Output size: bytes of generated TypeScript per action, against the baselines' output for the same corpus. */
import { join } from "node:path";
import type { Bench } from "../lib/context.js";
import { inferredClient } from "../lib/inferred-client.js";
import { outputFiles, runNaive } from "./cold.js";
import { generatedProject } from "./typescript.js";

export async function bytesSection(bench: Bench): Promise<void> {
  const dir = await generatedProject(bench);
  const output = await outputFiles(join(dir, "generated"));
  const actions = bench.stats.actions;
  if (bench.shared.naive === undefined) {
    const { run, result } = await runNaive(bench);
    bench.shared.naive = { wallMs: run.wallMs, bytes: result.bytes, actions: result.actions };
  }
  const naive = bench.shared.naive;
  const inferredBytes = Buffer.byteLength(inferredClient(bench.corpus));
  const section = "output";
  const perAction = output.appModuleBytes / actions;
  bench.figures.push(
    {
      id: "bytes.app-modules",
      section,
      label: "bytes per action (app modules)",
      value: perAction,
      unit: "bytes",
      baseline: { label: "naive pipeline", value: naive.bytes / naive.actions, unit: "bytes" },
      ratio: perAction / (naive.bytes / naive.actions),
    },
    {
      id: "bytes.all",
      section,
      label: "bytes per action (whole output: index and runtime included)",
      value: output.bytes / actions,
      unit: "bytes",
      baseline: { label: "inferred-literal client", value: inferredBytes / actions, unit: "bytes" },
      ratio: output.bytes / inferredBytes,
    },
  );
  bench.details["bytes"] = { actions, output, naiveBytes: naive.bytes, inferredBytes };
}

/**
 * Output size: bytes of generated TypeScript per action, against the peers' output for the corpus's OpenAPI
 * export and the inferred-literal client for the same corpus (the naive pipeline's in the details, when the
 * cold section ran).
 */
import { join } from "node:path";
import type { Bench } from "../lib/context.js";
import { inferredClient } from "../lib/inferred-client.js";
import { PEERS, PEER_OUTPUT, folderBytes, peerOutput, type PeerName } from "../lib/peers.js";
import { judge } from "../lib/report.js";
import { outputFiles } from "./cold.js";
import { generatedProject } from "./typescript.js";

/** The issue's bound on our app modules' bytes per action: 3.5 KB (1 KB = 1,024 bytes). */
const APP_MODULE_BYTES = 3.5 * 1024;

export async function bytesSection(bench: Bench): Promise<void> {
  const dir = await generatedProject(bench);
  const output = await outputFiles(join(dir, "generated"));
  const actions = bench.stats.actions;
  const peers = {} as Record<PeerName, { files: number; bytes: number }>;
  for (const peer of PEERS) peers[peer.name] = await folderBytes(join(await peerOutput(bench, peer), PEER_OUTPUT));
  const inferredBytes = Buffer.byteLength(inferredClient(bench.corpus));
  const section = "output";
  const perAction = output.appModuleBytes / actions;
  const allPerAction = output.bytes / actions;
  const ot = peers["openapi-typescript"].bytes / actions;
  const hey = peers["hey-api"].bytes / actions;
  bench.figures.push(
    judge({
      id: "bytes.app-modules",
      section,
      label: "bytes per action (app modules)",
      value: perAction,
      unit: "bytes",
      baseline: { label: "openapi-typescript types only (whole file)", value: ot, unit: "bytes" },
      ratio: perAction / ot,
      target: { on: "value", op: "<=", bound: APP_MODULE_BYTES, text: "<= 3.5 KB (3,584 bytes)" },
    }),
    {
      id: "bytes.all",
      section,
      label: "bytes per action (whole output: index and runtime included)",
      value: allPerAction,
      unit: "bytes",
      baseline: { label: "hey-api SDK (whole output: client included)", value: hey, unit: "bytes" },
      ratio: allPerAction / hey,
    },
    {
      id: "bytes.inferred",
      section,
      label: "bytes per action (whole output: index and runtime included)",
      value: allPerAction,
      unit: "bytes",
      baseline: { label: "inferred-literal client", value: inferredBytes / actions, unit: "bytes" },
      ratio: output.bytes / inferredBytes,
    },
  );
  bench.details["bytes"] = { actions, output, naiveBytes: bench.shared.naive?.bytes, inferredBytes, peers };
}

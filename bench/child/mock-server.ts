/*
 * The emulator in its own process (so that serving never competes with the measured client for the
 * event loop). Usage: fork mock-server.js '<json options>'; it sends { type: "ready", url } and answers
 * { type: "stats" } and { type: "close" } messages.
 */
import { readFileSync } from "node:fs";
import type { Corpus } from "../corpus.js";
import { startMock } from "../../generator/mock/index.js";

interface Options {
  corpusFile: string;
  slugs?: string[];
  apiKey: string;
  latencyMs?: number;
  rateLimit?: { perSecond: number; burst: number };
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const corpus = JSON.parse(readFileSync(options.corpusFile, "utf8")) as Corpus;
const apps =
  options.slugs === undefined
    ? corpus.apps
    : Object.fromEntries(options.slugs.map((slug) => [slug, corpus.apps[slug]!]));
const server = await startMock({
  apps,
  apiKey: options.apiKey,
  ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
});
const send = (message: object) => process.send?.(message);
process.on("message", (message: { type?: string }) => {
  if (message.type === "stats") send({ type: "stats", stats: { ...server.stats } });
  if (message.type === "close") void server.close().then(() => process.exit(0));
});
process.on("disconnect", () => void server.close().then(() => process.exit(0)));
send({ type: "ready", url: server.url });

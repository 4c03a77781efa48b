import { watchGenerate } from "../pipeline/watch.js";
import { ExitCode } from "../util/diagnostics.js";
import { generateOptions, reportGenerate, type GenerateArgs } from "./generate.js";
import { err, reportFailure } from "./output.js";

/** `generate --watch`: runs until SIGINT or SIGTERM; a failed run is reported and watching goes on. */
export async function watchUntilInterrupted(argv: GenerateArgs): Promise<number> {
  const handle = await watchGenerate(generateOptions(argv), {
    onResult: (result) => reportGenerate(argv, result),
    onError: (error) => reportFailure(argv, error),
  });
  if (!argv.quiet) err("watching the config, the lock and the results file; Ctrl-C stops");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  handle.close();
  return ExitCode.ok;
}

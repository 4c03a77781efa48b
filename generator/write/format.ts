import type { EmittedOutput, OutputFiles } from "../emit/files.js";
import { PRINT_WIDTH } from "../emit/writer.js";

/**
 * Prettier options for generated code, fixed here and never read from the user's config files, so the
 * output is byte-identical on every machine.
 */
export const OUTPUT_PRETTIER_OPTIONS = { parser: "typescript", printWidth: PRINT_WIDTH } as const;

/**
 * The emitters already lay code out as prettier would (the tests hold them to it), so only the files they
 * marked unsure go through prettier, loaded lazily: it is by far the most expensive step when it runs.
 * `all` formats every TypeScript file, for checking that claim.
 */
export async function formatFiles(output: EmittedOutput, all = false): Promise<OutputFiles> {
  const pending = [...output.files.keys()].filter((path) => path.endsWith(".ts") && (all || output.unsure.has(path)));
  if (pending.length === 0) return output.files;
  const prettier = await import("prettier");
  const formatted: OutputFiles = new Map(output.files);
  for (const path of pending)
    formatted.set(path, await prettier.format(String(output.files.get(path) ?? ""), OUTPUT_PRETTIER_OPTIONS));
  return formatted;
}

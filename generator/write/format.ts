import type { OutputFiles } from "../emit/files.js";

/**
 * Prettier options for generated code, fixed here and never read from the user's config files, so the
 * output is byte-identical on every machine.
 */
export const OUTPUT_PRETTIER_OPTIONS = { parser: "typescript", printWidth: 120 } as const;

/** Formats every file with prettier (loaded lazily: it is the heaviest module we use). */
export async function formatFiles(files: OutputFiles): Promise<OutputFiles> {
  const prettier = await import("prettier");
  const formatted: OutputFiles = new Map();
  for (const [path, source] of files) {
    formatted.set(path, path.endsWith(".ts") ? await prettier.format(source, OUTPUT_PRETTIER_OPTIONS) : source);
  }
  return formatted;
}

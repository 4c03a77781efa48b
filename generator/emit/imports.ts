import { stringLiteral } from "./escape.js";
import type { SourceWriter } from "./writer.js";

/** An import declaration, always on one line. */
export function writeImport(w: SourceWriter, names: readonly string[], from: string, typeOnly = false): void {
  w.line(`${typeOnly ? "import type" : "import"} { ${names.join(", ")} } from ${stringLiteral(from)};`);
}

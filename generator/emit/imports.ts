import { stringLiteral } from "./escape.js";
import type { SourceWriter } from "./writer.js";

/** An import declaration, one specifier per line when it does not fit (as prettier lays it out). */
export function writeImport(w: SourceWriter, names: readonly string[], from: string, typeOnly = false): void {
  const keyword = typeOnly ? "import type" : "import";
  const oneLine = `${keyword} { ${names.join(", ")} } from ${stringLiteral(from)};`;
  if (w.fits(oneLine)) {
    w.line(oneLine);
    return;
  }
  w.line(`${keyword} {`);
  w.indented(() => names.forEach((name) => w.line(`${name},`)));
  w.line(`} from ${stringLiteral(from)};`);
}

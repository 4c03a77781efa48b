import { docLines } from "./escape.js";

/**
 * A minimal line writer: the output's only builder layer. It knows indentation and JSDoc blocks;
 * everything that is untrusted has passed escape.ts before it gets here.
 */
export class SourceWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  /** Appends one line at the current indentation (an empty call writes a blank line). */
  line(text = ""): this {
    this.lines.push(text === "" ? "" : "  ".repeat(this.depth) + text);
    return this;
  }

  /** Writes `open`, the body one level deeper, then `close`. */
  block(open: string, body: () => void, close = "}"): this {
    this.line(open);
    this.depth++;
    body();
    this.depth--;
    return this.line(close);
  }

  /** Writes a JSDoc block from paragraphs of untrusted text; empty paragraphs are dropped. */
  doc(paragraphs: readonly string[]): this {
    const body: string[] = [];
    for (const paragraph of paragraphs) {
      const lines = docLines(paragraph);
      while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      while (lines.length > 0 && lines[0] === "") lines.shift();
      if (lines.length === 0) continue;
      if (body.length > 0) body.push("");
      body.push(...lines);
    }
    if (body.length === 0) return this;
    if (body.length === 1) return this.line(`/** ${body[0]} */`);
    this.line("/**");
    for (const text of body) this.line(text === "" ? " *" : ` * ${text}`);
    return this.line(" */");
  }

  /** The text written so far, ending with a newline. */
  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

import { docLines } from "./escape.js";

/** The output's line width, shared with the prettier options used to check (and, if unsure, to format) it. */
export const PRINT_WIDTH = 120;

/**
 * A minimal line writer: the output's only builder layer. It writes code already laid out the way
 * prettier would (so formatting is a no-op and can be skipped); where it cannot be sure of prettier's
 * choice (text of uncertain display width near the limit, shapes it does not lay out itself) it marks the
 * file `unsure`, and the format stage runs prettier over it. Untrusted text has passed escape.ts first.
 */
export class SourceWriter {
  private readonly lines: string[] = [];
  private depth = 0;
  /** True when prettier might lay out some line differently: the format stage must run it. */
  unsure = false;

  /** Appends one line at the current indentation (an empty call writes a blank line). */
  line(text = ""): this {
    this.lines.push(text === "" ? "" : this.indent() + text);
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

  /** Writes lines one level deeper. */
  indented(body: () => void): this {
    this.depth++;
    body();
    this.depth--;
    return this;
  }

  /**
   * Whether `text` fits on one line at the current indentation plus `extraDepth` levels. Non-ASCII text
   * may be one or two columns wide for prettier; when that decides the answer, the file is marked unsure.
   */
  fits(text: string, extraDepth = 0): boolean {
    const indent = 2 * (this.depth + extraDepth);
    const narrow = indent + [...text].length;
    const wide = indent + wideWidth(text);
    if (narrow <= PRINT_WIDTH && wide > PRINT_WIDTH) this.unsure = true;
    return narrow <= PRINT_WIDTH;
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

  private indent(): string {
    return "  ".repeat(this.depth);
  }
}

/** The widest reading of a text's display width: every non-ASCII code point counted as two columns. */
function wideWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return width;
}

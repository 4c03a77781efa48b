import { docLines } from "./escape.js";

/**
 * The longest line the writer's one width rule allows, in UTF-16 code units (`.length`): a union that would
 * make its line longer is written one member per line. Nothing else depends on a line's length.
 */
export const LINE_LIMIT = 120;

/**
 * A minimal line writer: the output's only builder layer. Its layout is its own and fixed: two-space
 * indentation, one declaration or member per line, a JSDoc block on one line when it holds one line of
 * text. Untrusted text has passed escape.ts first.
 */
export class SourceWriter {
  private readonly lines: string[] = [];
  private depth = 0;

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

  /** Whether `text`, written at the current indentation, stays within LINE_LIMIT code units. */
  withinLimit(text: string): boolean {
    return 2 * this.depth + text.length <= LINE_LIMIT;
  }

  /**
   * Writes a JSDoc block from paragraphs of untrusted text (empty ones dropped; a blank line between two)
   * and then tags (`@default`, `@example`: the name is the writer's, the text untrusted). A block of one
   * line is written on one line.
   */
  doc(paragraphs: readonly string[], tags: readonly (readonly [tag: string, text: string])[] = []): this {
    const body: string[] = [];
    for (const paragraph of paragraphs) {
      const lines = trimmed(docLines(paragraph));
      if (lines.length === 0) continue;
      if (body.length > 0) body.push("");
      body.push(...lines);
    }
    for (const [tag, text] of tags) {
      if (!/^[a-z]+$/.test(tag)) throw new Error(`internal error: "${tag}" is not a JSDoc tag name`);
      const [first = "", ...rest] = trimmed(docLines(text));
      body.push(first === "" ? `@${tag}` : `@${tag} ${first}`, ...rest);
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

/** Lines without the blank ones at either end. */
function trimmed(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === "") start++;
  while (end > start && lines[end - 1] === "") end--;
  return lines.slice(start, end);
}

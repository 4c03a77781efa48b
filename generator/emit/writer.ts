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
   * Whether `text` fits on one line at the current indentation plus `extraDepth` levels, measured as
   * prettier measures it. Where the width of some characters is uncertain (emoji, rare scripts) and that
   * decides the answer, the file is marked unsure.
   */
  fits(text: string, extraDepth = 0): boolean {
    const indent = 2 * (this.depth + extraDepth);
    const [narrow, wide] = widthBounds(text);
    if (indent + narrow <= PRINT_WIDTH && indent + wide > PRINT_WIDTH) this.unsure = true;
    return indent + narrow <= PRINT_WIDTH;
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

/**
 * The least and the most columns prettier may count for a text. Prettier counts East Asian wide and
 * fullwidth characters and emoji as 2, combining marks and controls as 0, everything else as 1; the
 * ranges below are certain, anything else may be 1 or 2.
 */
function widthBounds(text: string): [number, number] {
  if (!/[^\x00-\x7f]/.test(text)) return [text.length, text.length];
  let narrow = 0;
  let wide = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const width = certainWidth(code);
    narrow += width ?? 1;
    wide += width ?? 2;
  }
  return [narrow, wide];
}

const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x300, 0x36f],
];
// Scripts and punctuation without emoji forms (emoji-capable symbols such as © ™ ↔ ⌚ ⭐ stay uncertain).
const SINGLE_WIDTH: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0xa8],
  [0xaa, 0xad],
  [0xaf, 0x10ff],
  [0x1200, 0x1fff],
  [0x2000, 0x203b],
  [0x203d, 0x2048],
  [0x204a, 0x20c0],
];
const DOUBLE_WIDTH: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

function certainWidth(code: number): number | undefined {
  // Latin, Greek, Cyrillic and the like: most of what reaches here, answered before any table is walked.
  if (code >= 0xaf && code <= 0x10ff && (code < 0x300 || code > 0x36f)) return 1;
  if (within(ZERO_WIDTH, code)) return 0;
  if (within(SINGLE_WIDTH, code)) return 1;
  if (within(DOUBLE_WIDTH, code)) return 2;
  return undefined;
}

function within(ranges: readonly (readonly [number, number])[], code: number): boolean {
  for (const [low, high] of ranges) if (code >= low && code <= high) return true;
  return false;
}

/*
 * The writer's layout rules (generator/emit/writer.ts), checked on generated TypeScript with TypeScript's own
 * parser and scanner, so that strings and comments are read as the compiler reads them:
 *
 * - the file parses; it ends with one newline; no tab, carriage return or trailing space; no two blank lines
 *   in a row;
 * - every line is indented by two spaces per line above it whose brackets (`{`, `(`, `[`) are still open
 *   (`f({` opens one level), less one when it starts by closing a bracket (`});`, `}[])[];`); the inner
 *   lines of a JSDoc block by one more space (before their `*`); the members of a union written one per
 *   line (`| "a"`) by two more after a `key:` line;
 * - a JSDoc block spans several lines only when it holds several lines of text;
 * - a union of select values is written one member per line exactly when it would not fit on its line:
 *   no line longer than LINE_LIMIT holds a `|` between literals, and a union written one member per line
 *   would have made its line longer than LINE_LIMIT.
 */
import ts from "typescript";
import { LINE_LIMIT } from "../../generator/emit/writer.js";

interface LineFacts {
  /** Lines with brackets still open where the line starts, less one when it starts by closing a bracket. */
  depth: number;
  /** Inside a multi-line comment that started on an earlier line: the depth where the comment started. */
  commentDepth: number;
  /** Holds a `|` between two literals: (part of) a union of select values on one line. */
  unionBar: boolean;
}

/** Every departure from the layout rules, as `line N: what` (empty when the source follows them). */
export function layoutProblems(source: string): string[] {
  const problems: string[] = [];
  const problem = (line: number, what: string) => problems.push(`line ${line + 1}: ${what}`);
  const file = ts.createSourceFile("module.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parseErrors = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  for (const error of parseErrors)
    problem(file.getLineAndCharacterOfPosition(error.start ?? 0).line, `syntax error: ${String(error.messageText)}`);
  if (!source.endsWith("\n") || source.endsWith("\n\n")) problems.push("the file does not end with one newline");
  const lines = source.split("\n").slice(0, -1);
  lines.forEach((text, line) => {
    if (/[\t\r]/.test(text)) problem(line, "tab or carriage return");
    if (/ $/.test(text)) problem(line, "trailing space");
    if (text === "" && lines[line - 1] === "") problem(line, "two blank lines");
  });

  const facts = scanLines(source, file, lines.length);
  lines.forEach((text, line) => {
    if (text === "") return;
    const fact = facts[line]!;
    const indent = text.length - text.trimStart().length;
    const trimmed = text.trimStart();
    let expected: number;
    if (fact.commentDepth >= 0) {
      expected = 2 * fact.commentDepth + 1;
      if (!/^\*( |\/$|$)/.test(trimmed)) problem(line, "a JSDoc line that does not start with ` * `");
    } else {
      expected = 2 * fact.depth;
      if (trimmed.startsWith("| ") && ownerOf(lines, line).endsWith(":")) expected += 2;
    }
    if (indent !== expected) problem(line, `indented ${indent}, expected ${expected}: ${JSON.stringify(text)}`);
    if (fact.unionBar && text.length > LINE_LIMIT) problem(line, `a union on a line longer than ${LINE_LIMIT}`);
  });

  // JSDoc blocks: one line of text means one line.
  for (let line = 0; line < lines.length; line++) {
    const trimmed = lines[line]!.trimStart();
    if (!trimmed.startsWith("/**") || facts[line]!.commentDepth >= 0) continue;
    if (trimmed.endsWith("*/")) {
      if (!/^\/\*\* \S(.*\S)? \*\/$/.test(trimmed)) problem(line, "a one-line JSDoc not written `/** text */`");
      continue;
    }
    let end = line + 1;
    while (end < lines.length && !lines[end]!.trimEnd().endsWith("*/")) end++;
    if (trimmed !== "/**") problem(line, "a JSDoc block whose first line holds text");
    if (end - line - 1 < 2) problem(line, "a JSDoc block of one line of text not written on one line");
    line = end;
  }

  // A union written one member per line must not have fitted on its line.
  for (let line = 0; line < lines.length; line++) {
    if (facts[line]!.commentDepth >= 0 || !lines[line]!.trimStart().startsWith("| ")) continue;
    let end = line;
    while (end + 1 < lines.length && lines[end + 1]!.trimStart().startsWith("| ")) end++;
    const owner = ownerOf(lines, line);
    const members = lines.slice(line, end + 1).map((member) => member.trimStart().slice(2));
    const joined = owner.endsWith(":")
      ? `${owner} ${members.join(" | ")}`
      : `${owner}${members.join(" | ")}${(lines[end + 1] ?? "").trim()}`;
    if (joined.length <= LINE_LIMIT) problem(line, `a union written one member per line that fits: ${joined}`);
    line = end;
  }
  return problems;
}

/** The line a union member line belongs to: the last line above it that is not a member. */
function ownerOf(lines: readonly string[], line: number): string {
  let owner = line - 1;
  while (owner > 0 && lines[owner]!.trimStart().startsWith("| ")) owner--;
  return lines[owner] ?? "";
}

function scanLines(source: string, file: ts.SourceFile, count: number): LineFacts[] {
  const facts: LineFacts[] = Array.from({ length: count }, () => ({ depth: -1, commentDepth: -1, unionBar: false }));
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  // The line of every open bracket, innermost last; `levels` counts the distinct lines among them.
  const open: number[] = [];
  let levels = 0;
  let barLine = -1;
  let afterLiteral = -1;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.WhitespaceTrivia || token === ts.SyntaxKind.NewLineTrivia) continue;
    const line = lineOf(scanner.getTokenStart());
    const fact = facts[line];
    // A line that starts by closing a bracket closes its opening line's level (`});`, `}[])[];`).
    if (fact !== undefined && fact.depth === -1) fact.depth = levels - (isCloser(token) ? 1 : 0);
    if (isCloser(token)) {
      const opened = open.pop();
      if (opened !== undefined && open[open.length - 1] !== opened) levels--;
    }
    if (token === ts.SyntaxKind.MultiLineCommentTrivia) {
      const end = lineOf(scanner.getTokenEnd());
      for (let inner = line + 1; inner <= end && inner < count; inner++) facts[inner]!.commentDepth = levels;
      continue;
    }
    if (token === ts.SyntaxKind.SingleLineCommentTrivia) continue;
    // `"a" | "b"` on one line: a bar between two literals (a member line's leading bar does not count).
    if (barLine === line && isLiteral(token)) facts[barLine]!.unionBar = true;
    barLine = token === ts.SyntaxKind.BarToken && afterLiteral === line ? line : -1;
    afterLiteral = isLiteral(token) ? line : -1;
    if (isOpener(token)) {
      if (open[open.length - 1] !== line) levels++;
      open.push(line);
    }
  }
  return facts;
}

function isLiteral(token: ts.SyntaxKind): boolean {
  return (
    token === ts.SyntaxKind.StringLiteral ||
    token === ts.SyntaxKind.NumericLiteral ||
    token === ts.SyntaxKind.TrueKeyword ||
    token === ts.SyntaxKind.FalseKeyword ||
    token === ts.SyntaxKind.MinusToken
  );
}

function isOpener(token: ts.SyntaxKind): boolean {
  return (
    token === ts.SyntaxKind.OpenBraceToken ||
    token === ts.SyntaxKind.OpenParenToken ||
    token === ts.SyntaxKind.OpenBracketToken
  );
}

function isCloser(token: ts.SyntaxKind): boolean {
  return (
    token === ts.SyntaxKind.CloseBraceToken ||
    token === ts.SyntaxKind.CloseParenToken ||
    token === ts.SyntaxKind.CloseBracketToken
  );
}

/*
 * The one door through which untrusted text (ids, names, labels, descriptions, option values) enters
 * generated source. Nothing else in emit/ may put such text into code.
 */

import { LONE_HALF } from "../util/unicode.js";

/** Line separators other than `\n`, normalized so a comment line can never end early or oddly. */
const LINE_BREAKS = /\r\n|[\r\u2028\u2029\u0085]/g;
/** Control characters (but tab and newline), and bidi / zero-width marks that could disguise code (trojan source). */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const LONE_SURROGATE = new RegExp(LONE_HALF, "g");

/** Printable ASCII without `*` or `@`: nothing in it can end a comment or start a tag. */
const PLAIN_DOC = /^[\x20-\x29\x2b-\x3f\x41-\x7e]*$/;
/** Printable ASCII without quotes or backslashes: a string literal needs no escape. */
const PLAIN_STRING = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

/** Plain text, cleaned: one line break kind, no invisible or control characters, no broken UTF-16. */
export function cleanText(text: string): string {
  return text.replace(LINE_BREAKS, "\n").replace(/\t/g, "  ").replace(INVISIBLE, "").replace(LONE_SURROGATE, "\ufffd");
}

/**
 * Lines safe inside a `/** ... *\/` comment: `*\/` cannot close it, and an `@` at a word start
 * cannot become a JSDoc tag (`@deprecated` in a description must not deprecate the method).
 */
export function docLines(text: string): string[] {
  // Most labels and descriptions are one line of plain ASCII with nothing to neutralize.
  if (PLAIN_DOC.test(text)) return [text.trimEnd()];
  const safe = cleanText(text)
    .replace(/\*\//g, "*\\/")
    .replace(/(^|[\s{])@/gm, "$1\uff20");
  return safe.split("\n").map((line) => line.trimEnd());
}

/** A JavaScript string literal for any text, in the quotes that need fewer escapes (double when even). */
export function stringLiteral(value: string): string {
  if (PLAIN_STRING.test(value)) return `"${value}"`;
  const doubles = (value.match(/"/g) ?? []).length;
  const singles = (value.match(/'/g) ?? []).length;
  const quote = doubles > singles ? "'" : '"';
  return quote + value.replace(quote === '"' ? NEEDS_ESCAPE_DOUBLE : NEEDS_ESCAPE_SINGLE, escapeChar) + quote;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
  '"': '\\"',
  "'": "\\'",
};

/**
 * What a literal in these quotes cannot hold as it is: the quote, a backslash, control characters, bidi
 * and zero-width marks, line separators, and UTF-16 halves without their pair (written as `\\uXXXX`).
 */
const ESCAPED = String.raw`\\\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff`;
const NEEDS_ESCAPE_DOUBLE = new RegExp(`["${ESCAPED}]|${LONE_HALF}`, "g");
const NEEDS_ESCAPE_SINGLE = new RegExp(`['${ESCAPED}]|${LONE_HALF}`, "g");

function escapeChar(char: string): string {
  return SIMPLE_ESCAPES[char] ?? `\\u${(char.charCodeAt(0) ?? 0).toString(16).padStart(4, "0")}`;
}

/**
 * A string literal holding the JSON text of a value (the action table's rows). Every string inside is
 * escaped twice over, by JSON and then by the literal, so `JSON.parse` of the literal's value gives each back
 * exactly, lone surrogates and line separators included.
 */
export function jsonLiteral(value: unknown): string {
  const text: string | undefined = JSON.stringify(value);
  if (text === undefined) throw new Error("internal error: the value has no JSON text");
  return stringLiteral(text);
}

/** Plain ASCII identifiers: written bare as keys, everything else quoted. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A key of a type member: bare when it is a plain identifier, else a string literal. Only used in types,
 * where even `__proto__` is an ordinary property name.
 */
export function propertyKey(name: string): string {
  return PLAIN_KEY.test(name) ? name : stringLiteral(name);
}

/** Guards names chosen by model/naming.ts: they must already be plain identifiers. */
export function identifier(name: string): string {
  if (!PLAIN_KEY.test(name)) throw new Error(`internal error: "${name}" is not a safe identifier`);
  return name;
}

/** A literal for a select option value (string, finite number or boolean). */
export function literal(value: string | number | boolean): string {
  if (typeof value === "string") return stringLiteral(value);
  // The shortest spelling of a number, without `+` in the exponent (1e21, not 1e+21).
  if (typeof value === "number")
    return Number.isFinite(value) ? (Object.is(value, -0) ? "0" : String(value).replace("e+", "e")) : "0";
  return value ? "true" : "false";
}

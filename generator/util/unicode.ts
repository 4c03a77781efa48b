/** UTF-16 halves without their pair ("lone surrogates"), which no UTF-8 file can hold: the one pattern. */
export const LONE_HALF = String.raw`[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;

const HAS_LONE_HALF = new RegExp(LONE_HALF);

/** False when a string holds a lone surrogate (String.prototype.isWellFormed is newer than Node 20). */
export function isWellFormed(text: string): boolean {
  return !HAS_LONE_HALF.test(text);
}

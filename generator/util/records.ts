/** Plain JSON objects keyed by untrusted text: telling one apart, and writing to one safely. */

/** True for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets an own enumerable property even for keys like `__proto__`, which plain assignment would turn
 * into a prototype change. Every map keyed by untrusted ids is written through this.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Seeded shuffling of action lists, so tests can prove that output does not depend on the order the API
 * lists actions in, and reproduce a failure from its seed.
 */

/**
 * A shuffled copy of `items`, seeded by `seed` and `key` (the app slug) only, so the order does not depend
 * on which requests arrived first when a client pulls apps concurrently. Lists of two or more always come
 * back in a different order from the stored one: a shuffle that happens to be the identity proves nothing.
 */
export function seededShuffle<T>(items: readonly T[], seed: number, key: string): T[] {
  const out = [...items];
  const random = mulberry32(fnv1a(`${seed}:${key}`));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  if (out.length > 1 && out.every((item, i) => item === items[i])) out.push(out.shift() as T);
  return out;
}

/** 32-bit FNV-1a over UTF-16 code units: a small, stable string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a tiny PRNG whose sequence is the same on every platform (the tests and the bench use it too). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

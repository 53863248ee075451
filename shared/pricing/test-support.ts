/**
 * A small seeded PRNG for the property tests (mulberry32), with helpers that
 * lean towards edges: 0, 1, the limit and its neighbours come up far more
 * often than a uniform draw would make them.
 */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  /** Mostly uniform in [min, max], one time in four one of min, min + 1, max − 1, max. */
  edgy(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Two draws make 52 random bits, so large ranges are covered evenly.
  const int = (min: number, max: number): number => {
    const span = max - min + 1;
    const r = Math.floor(next() * 2 ** 26) * 2 ** 26 + Math.floor(next() * 2 ** 26);
    return min + (r % span);
  };
  return {
    next,
    int,
    edgy(min, max) {
      if (next() < 0.25) {
        const edges = [min, Math.min(min + 1, max), Math.max(max - 1, min), max];
        return edges[int(0, edges.length - 1)] ?? min;
      }
      return int(min, max);
    },
    pick(items) {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    chance: (p) => next() < p,
  };
}

// Seeded pseudo-random numbers: mulberry32 (32-bit state, period 2^32), enough for sampling windows, shuffling and
// seeding tfjs's own generators. One stream per purpose (data, init, dropout) so changing one leaves the others alone.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [0, 2^31), for tfjs ops that take a `seed`. */
  seed(): number;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    seed: () => Math.floor(next() * 2 ** 31),
  };
}

/** A stream for one purpose: the run's seed mixed with a label (FNV-1a hash), e.g. rngFor(1337, 'dropout'). */
export function rngFor(seed: number, purpose: string): Rng {
  let hash = 0x811c9dc5;
  for (let i = 0; i < purpose.length; i++) hash = Math.imul(hash ^ purpose.charCodeAt(i), 0x01000193);
  return mulberry32((seed ^ hash) >>> 0);
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

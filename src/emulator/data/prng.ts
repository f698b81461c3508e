/**
 * A small seeded PRNG (mulberry32) for the data generator: same seed → same sequence on every
 * platform and Node version, unlike Math.random. Independent streams per label keep one object's
 * data stable when another object's count changes.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream derived from `seed` and a label (FNV-1a of the label mixed into the seed). */
  static stream(seed: number, label: string): Rng {
    let h = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('Rng.pick: empty list');
    return list[Math.floor(this.next() * list.length)]!;
  }

  /**
   * An index in [0, n) skewed towards 0 (`skew` > 1): a few parents get many children, most
   * get few, as in real orgs.
   */
  skewedIndex(n: number, skew = 1.8): number {
    return Math.min(n - 1, Math.floor(Math.pow(this.next(), skew) * n));
  }

  /** One item of `[value, weight]` pairs, by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  }
}

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A closed numeric range, as written in scenario files. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * Seeded random numbers for the simulation core (pure-rand xoroshiro128+).
 *
 * Every concern (fleet, each asset's physics, each device's sensor noise, bad payloads...) gets its own
 * stream forked from the run seed and a label, so a stream does not depend on how many numbers another
 * one drew: adding bad payloads does not change a single sensor value, and one more device does not
 * change the faults of the others.
 */
export class Rng {
  private spareNormal: number | undefined;

  private constructor(private readonly generator: RandomGenerator) {}

  /** A stream for `labels` under `seed`; the same arguments always give the same sequence. */
  static fork(seed: number, ...labels: ReadonlyArray<string | number>): Rng {
    return new Rng(xoroshiro128plus(hashSeed(`${seed}|${labels.join('|')}`)));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  between(range: Range): number {
    return this.uniform(range.min, range.max);
  }

  /** Integer uniform in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Normal distribution (Box-Muller, the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A key drawn with probability proportional to its weight; keys of weight 0 are never drawn. */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = (Object.entries(weights) as Array<[K, number | undefined]>).filter(([, w]) => (w ?? 0) > 0);
    if (entries.length === 0) throw new Error('weighted pick with no positive weight');
    const total = entries.reduce((sum, [, w]) => sum + (w ?? 0), 0);
    let x = this.next() * total;
    for (const [key, w] of entries) {
      x -= w ?? 0;
      if (x < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/** FNV-1a, then a murmur3 finaliser: spreads similar labels ("d0001", "d0002") over the seed space. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. All randomness in the engine comes from an
 * Rng passed in explicitly, so the same seed gives the same run, bit for bit.
 */
/** The k-th output of splitmix32 started at `seed`. */
function splitmix32(seed: number, k: number): number {
  let z = (seed + Math.imul(k, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.reset(seed);
  }

  /** Starts this generator over as `new Rng(seed)` would (no allocation: a stream per step and shard). */
  reset(seed: number): this {
    const s = seed >>> 0;
    this.a = splitmix32(s, 1);
    this.b = splitmix32(s, 2);
    this.c = splitmix32(s, 3);
    this.d = splitmix32(s, 4);
    for (let i = 0; i < 12; i++) this.nextUint32();
    this.spareNormal = null;
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return mean + std * v;
    }
    let u: number, v: number, s: number;
    do {
      u = this.random() * 2 - 1;
      v = this.random() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return mean + std * u * m;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A child generator with its own stream, derived deterministically from this one. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

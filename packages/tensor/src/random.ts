/**
 * A seeded pseudo-random generator: **xoshiro128\*\*** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018; https://prng.di.unimi.it/), a 128-bit-state generator with a period of 2¹²⁸ − 1 that passes
 * BigCrush and needs only 32-bit integer arithmetic, so it is exact and fast in JavaScript.
 *
 * The 32-bit seed is spread over the four state words by SplitMix32 (a Weyl sequence with step 0x9E3779B9 through the
 * MurmurHash3 `fmix32` finalizer), the seeding its authors recommend for this family.
 *
 * Normal samples use Marsaglia's polar method with a logarithm computed here from `+ − × ÷` alone. `Math.log` is not
 * required to be correctly rounded and differs by an ulp between engines; with our own `ln` (and the correctly rounded
 * `Math.sqrt`) every sample is bit-identical in Node.js and in every browser.
 *
 * The library never calls `Math.random`: all randomness comes from a `Random` you pass in.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();      // in [0, 1)
 * rng.normal(0, 0.1); // mean 0, standard deviation 0.1
 * rng.int(10);        // an integer in [0, 10)
 * ```
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * @param seed - an integer; it is reduced to its low 32 bits (`seed >>> 0`), so 0…2³²−1 give distinct streams
   * @throws TypeError when `seed` is not a finite integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new TypeError(`Random: seed must be an integer, found ${seed}`);
    let weyl = seed >>> 0;
    const next = (): number => {
      weyl = (weyl + 0x9e3779b9) | 0;
      let z = weyl;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /**
   * Restores a generator from {@link Random.getState}, to resume a stream exactly (for example from a checkpoint).
   * @throws TypeError when the state is not four 32-bit integers, not all zero
   */
  static fromState(state: readonly number[]): Random {
    if (
      state.length !== 4 ||
      state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) ||
      state.every((w) => w === 0)
    ) {
      throw new TypeError(
        `Random.fromState: expected four unsigned 32-bit integers, not all zero, found [${state.join(', ')}]`,
      );
    }
    const rng = new Random(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state as [number, number, number, number];
    return rng;
  }

  /** The four 32-bit state words. */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /**
   * Puts this generator in a state from {@link Random.getState}, so it continues that stream (for example when a
   * saved model resumes training).
   * @throws TypeError when the state is not four 32-bit integers, not all zero
   */
  setState(state: readonly number[]): this {
    [this.s0, this.s1, this.s2, this.s3] = Random.fromState(state).getState();
    return this;
  }

  /** The next raw output: a uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** A uniform double in `[low, high)` with 53 random bits. */
  uniform(low = 0, high = 1): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    const unit = (hi * 67108864 + lo) / 9007199254740992; // (hi·2²⁶ + lo) / 2⁵³
    return low + (high - low) * unit;
  }

  /** A normally distributed double (Marsaglia's polar method), bit-identical on every JavaScript engine. */
  normal(mean = 0, std = 1): number {
    for (;;) {
      const u = this.uniform(-1, 1);
      const v = this.uniform(-1, 1);
      const s = u * u + v * v;
      if (s > 0 && s < 1) return mean + std * u * Math.sqrt((-2 * portableLog(s)) / s);
    }
  }

  /**
   * A uniform integer in `[0, n)`, without modulo bias: raw outputs from the incomplete top bucket are rejected before
   * taking the remainder.
   * @throws RangeError when `n` is not an integer in `[1, 2³²]`
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) {
      throw new RangeError(`Random.int: n must be an integer in [1, 2^32], found ${n}`);
    }
    // Reject the top partial bucket so every value is equally likely.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffles an array or typed array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** Fills `out` with uniform samples in `[low, high)` and returns it. */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** Fills `out` with normal samples and returns it. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** A new generator seeded from this one's next output: an independent stream for a sub-task (a layer, a shuffle). */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Natural logarithm for `x` in `(0, 1]` using only correctly rounded operations, so it gives the same bits everywhere.
 * The reduction and the final sum follow fdlibm's `e_log.c`: `x = (1 + f)·2ᵉ` with `1 + f ∈ [√½, √2)`, then
 * `ln(1 + f) = f − (f²/2 − s·(f²/2 + R))` with `s = f/(2 + f)` and `R = Σ 2s²ᵏ/(2k + 1)`, so the large term `f` is
 * exact and only small corrections round; `ln 2` is split so that `e·ln2_hi` is exact.
 * @internal
 */
export function portableLog(x: number): number {
  let m = x;
  let e = 0;
  while (m < 0.5) {
    m *= 2;
    e--;
  }
  if (m < Math.SQRT1_2) {
    m *= 2;
    e--;
  }
  const f = m - 1; // exact (Sterbenz): m ∈ [√½, √2)
  const s = f / (2 + f);
  const s2 = s * s;
  let series = 2 / 25;
  for (let n = 23; n >= 3; n -= 2) series = series * s2 + 2 / n;
  const r = s2 * series; // Σ_{k≥1} 2s²ᵏ/(2k+1)
  const hfsq = 0.5 * f * f;
  return e * LN2_HI - (hfsq - (s * (hfsq + r) + e * LN2_LO) - f);
}

/** ln 2 in two parts (fdlibm): the high part has 32 trailing zero bits, so `e·LN2_HI` is exact for `|e| < 2²⁰`. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;

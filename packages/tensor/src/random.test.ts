import { describe, expect, it } from 'vitest';
import { portableLog, Random } from './random.js';

const MASK = 0xffffffffn;

/**
 * An independent xoshiro128** with SplitMix32 seeding, written from the published algorithms in BigInt arithmetic
 * (no `Math.imul`, no `>>>`), so a slip in the library's 32-bit tricks cannot hide in a shared helper.
 */
function referenceGenerator(seed: number): () => number {
  const fmix32 = (h: bigint): bigint => {
    h ^= h >> 16n;
    h = (h * 0x85ebca6bn) & MASK;
    h ^= h >> 13n;
    h = (h * 0xc2b2ae35n) & MASK;
    return h ^ (h >> 16n);
  };
  let weyl = BigInt(seed) & MASK;
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    weyl = (weyl + 0x9e3779b9n) & MASK;
    s.push(fmix32(weyl));
  }
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & MASK;
  return () => {
    const result = (rotl((s[1] * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s[1] << 9n) & MASK;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    return Number(result);
  };
}

/** The spacing of doubles at `y` (the unit in the last place). */
function ulp(y: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(y));
  const exponent = (view.getUint16(0) >> 4) & 0x7ff;
  return 2 ** (Math.max(exponent, 1) - 1075);
}

function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

describe('Random: the generator', () => {
  it('pins the state and first outputs for seed 42', () => {
    const rng = new Random(42);
    expect(rng.getState()).toEqual([939911724, 3948730756, 321366731, 3317318717]);
    const outputs = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(outputs).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290]);
  });

  it.each([42, 0, 1, 123456789, 0xffffffff])(
    'matches an independent xoshiro128** for 1000 outputs (seed %i)',
    (seed) => {
      const rng = new Random(seed);
      const reference = referenceGenerator(seed);
      for (let i = 0; i < 1000; i++) {
        const expected = reference();
        const found = rng.nextUint32();
        if (found !== expected) expect.fail(`output ${i}: ${found}, expected ${expected}`);
      }
    },
  );

  it('follows the xoshiro128** step from a hand-worked state [1, 2, 3, 4]', () => {
    // result = rotl(s1·5, 7)·9 = rotl(10, 7)·9 = 1280·9 = 11520; t = s1 << 9 = 1024; then s2 = 3 ^ 1 = 2,
    // s3 = 4 ^ 2 = 6, s1 = 2 ^ 2 = 0, s0 = 1 ^ 6 = 7, s2 = 2 ^ 1024 = 1026, s3 = rotl(6, 11) = 12288.
    const rng = Random.fromState([1, 2, 3, 4]);
    expect(rng.nextUint32()).toBe(11520);
    expect(rng.getState()).toEqual([7, 0, 1026, 12288]);
    // s1 = 0 gives 0; t = 0; s2 = 1026 ^ 7 = 1029, s3 = 12288, s1 = 1029, s0 = 7 ^ 12288 = 12295, s3 = 12288·2¹¹.
    expect(rng.nextUint32()).toBe(0);
    expect(rng.getState()).toEqual([12295, 1029, 1029, 25165824]);
    // rotl(1029·5 = 5145, 7)·9 = 658560·9.
    expect(rng.nextUint32()).toBe(5927040);
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const draw = (seed: number) => {
      const rng = new Random(seed);
      return Array.from({ length: 20 }, () => rng.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('reduces the seed to its low 32 bits', () => {
    expect(new Random(-1).getState()).toEqual(new Random(0xffffffff).getState());
    expect(new Random(2 ** 32).getState()).toEqual(new Random(0).getState());
    expect(new Random(2 ** 32 + 5).getState()).toEqual(new Random(5).getState());
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects seed %d with a TypeError', (seed) => {
    expect(() => new Random(seed)).toThrow(TypeError);
    expect(() => new Random(seed)).toThrow(String(seed));
  });

  it('outputs unsigned 32-bit integers', () => {
    const rng = new Random(3);
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextUint32();
      if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) expect.fail(`output ${x}`);
    }
  });
});

describe('Random: state', () => {
  it('resumes exactly from getState through fromState', () => {
    const rng = new Random(11);
    for (let i = 0; i < 10; i++) rng.nextUint32();
    const resumed = Random.fromState(rng.getState());
    for (let i = 0; i < 100; i++) expect(resumed.nextUint32()).toBe(rng.nextUint32());
    expect(resumed.normal()).toBe(rng.normal());
    expect(resumed.getState()).toEqual(rng.getState());
  });

  it('returns a copy of the state, not a live view', () => {
    const rng = new Random(11);
    const state = rng.getState();
    state[0] = 123;
    expect(rng.getState()[0]).not.toBe(123);
    const before = rng.getState();
    rng.nextUint32();
    expect(rng.getState()).not.toEqual(before);
  });

  it.each([
    [[1, 2, 3]],
    [[1, 2, 3, 4, 5]],
    [[0, 0, 0, 0]],
    [[-1, 2, 3, 4]],
    [[2 ** 32, 2, 3, 4]],
    [[1.5, 2, 3, 4]],
    [[Number.NaN, 2, 3, 4]],
  ])('fromState(%j) throws a TypeError naming the state', (state) => {
    expect(() => Random.fromState(state)).toThrow(TypeError);
    expect(() => Random.fromState(state)).toThrow(`[${state.join(', ')}]`);
  });
});

describe('Random: uniform', () => {
  it('pins the first samples for seed 42 and builds them from 27 + 26 raw bits', () => {
    const rng = new Random(42);
    expect([rng.uniform(), rng.uniform()]).toEqual([0.6606157208001621, 0.1117019639532224]);
    const reference = referenceGenerator(42);
    const hi = Math.floor(reference() / 32);
    const lo = Math.floor(reference() / 64);
    expect((hi * 2 ** 26 + lo) / 2 ** 53).toBe(0.6606157208001621);
  });

  it('stays in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Random(1);
    const samples = Array.from({ length: 100_000 }, () => rng.uniform());
    expect(samples.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, std } = meanAndStd(samples);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeCloseTo(Math.sqrt(1 / 12), 2);
  });

  it('maps to [low, high)', () => {
    const rng = new Random(2);
    const samples = Array.from({ length: 10_000 }, () => rng.uniform(-3, 5));
    expect(samples.every((x) => x >= -3 && x < 5)).toBe(true);
    expect(meanAndStd(samples).mean).toBeCloseTo(1, 1);
  });
});

describe('Random: normal', () => {
  it('pins the first samples for seed 42', () => {
    const rng = new Random(42);
    expect([rng.normal(), rng.normal()]).toEqual([0.31875784963858494, 0.15178267621950975]);
  });

  it('has mean 0 and standard deviation 1 over 1e5 samples, and honours mean and std', () => {
    const rng = new Random(3);
    const standard = meanAndStd(Array.from({ length: 100_000 }, () => rng.normal()));
    // The standard error of the mean is 1/√1e5 ≈ 0.003.
    expect(Math.abs(standard.mean)).toBeLessThan(0.015);
    expect(Math.abs(standard.std - 1)).toBeLessThan(0.015);
    const shifted = meanAndStd(Array.from({ length: 100_000 }, () => rng.normal(5, 0.1)));
    expect(Math.abs(shifted.mean - 5)).toBeLessThan(0.0015);
    expect(Math.abs(shifted.std - 0.1)).toBeLessThan(0.0015);
  });

  it('has normal tails: about 68.3% within one std and 95.4% within two', () => {
    const rng = new Random(4);
    let one = 0;
    let two = 0;
    const count = 100_000;
    for (let i = 0; i < count; i++) {
      const x = Math.abs(rng.normal());
      if (x < 1) one++;
      if (x < 2) two++;
    }
    expect(one / count).toBeCloseTo(0.6827, 2);
    expect(two / count).toBeCloseTo(0.9545, 2);
  });
});

describe('Random: int', () => {
  it('pins the first draws of int(10) for seed 42', () => {
    const rng = new Random(42);
    expect(Array.from({ length: 10 }, () => rng.int(10))).toEqual([4, 7, 2, 2, 0, 0, 6, 8, 4, 2]);
  });

  it('stays in [0, n) and hits every value about equally often', () => {
    const rng = new Random(5);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = rng.int(10);
      if (!Number.isInteger(x) || x < 0 || x >= 10) expect.fail(`int(10) gave ${x}`);
      counts[x]++;
    }
    // Expected 10 000 each with a standard deviation of about 95.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('is unbiased for an n that does not divide 2³²', () => {
    // With n = 3·2³⁰, plain `x % n` would give values below 2³⁰ twice as often as the others.
    const n = 3 * 2 ** 30;
    const rng = new Random(6);
    let low = 0;
    const count = 30_000;
    for (let i = 0; i < count; i++) if (rng.int(n) < 2 ** 30) low++;
    expect(low / count).toBeCloseTo(1 / 3, 1);
  });

  it('accepts the extremes 1 and 2³²', () => {
    const rng = new Random(7);
    expect(rng.int(1)).toBe(0);
    const x = rng.int(2 ** 32);
    expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it.each([0, -1, 2.5, 2 ** 32 + 1, Number.NaN])('int(%d) throws a RangeError', (n) => {
    expect(() => new Random(1).int(n)).toThrow(RangeError);
    expect(() => new Random(1).int(n)).toThrow(`found ${n}`);
  });
});

describe('Random: shuffle', () => {
  it('returns the same array holding a permutation of its items', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = new Random(8).shuffle(items);
    expect(shuffled).toBe(items);
    expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('is deterministic for a seed and shuffles typed arrays too', () => {
    const order = (seed: number) => Array.from(new Random(seed).shuffle(Int32Array.from({ length: 50 }, (_, i) => i)));
    expect(order(9)).toEqual(order(9));
    expect(order(9)).not.toEqual(order(10));
  });

  it('moves each item to each position about equally often', () => {
    const rng = new Random(12);
    const firsts = new Array<number>(4).fill(0);
    for (let i = 0; i < 40_000; i++) firsts[rng.shuffle([0, 1, 2, 3])[0]]++;
    for (const count of firsts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('leaves empty and one-element arrays alone', () => {
    expect(new Random(1).shuffle([])).toEqual([]);
    expect(new Random(1).shuffle(['a'])).toEqual(['a']);
  });
});

describe('Random: fills and fork', () => {
  it('fillUniform and fillNormal fill and return the array, matching uniform and normal', () => {
    const out = new Float32Array(5);
    expect(new Random(13).fillUniform(out, 2, 3)).toBe(out);
    const rng = new Random(13);
    expect(Array.from(out)).toEqual(Array.from({ length: 5 }, () => Math.fround(rng.uniform(2, 3))));
    const normal = new Float32Array(5);
    expect(new Random(14).fillNormal(normal, 1, 2)).toBe(normal);
    const rng2 = new Random(14);
    expect(Array.from(normal)).toEqual(Array.from({ length: 5 }, () => Math.fround(rng2.normal(1, 2))));
  });

  it('fork gives a deterministic stream seeded from the next output', () => {
    const parent = new Random(15);
    const child = new Random(15).fork();
    const seed = parent.nextUint32();
    expect(child.getState()).toEqual(new Random(seed).getState());
    expect(child.nextUint32()).not.toBe(parent.nextUint32());
  });
});

describe('portableLog', () => {
  it('is exact at powers of two', () => {
    expect(portableLog(0.5)).toBe(-Math.LN2);
    expect(portableLog(0.25)).toBe(-2 * Math.LN2);
    expect(portableLog(2 ** -40)).toBe(-40 * Math.LN2);
  });

  it('is within 2 ulp of Math.log (relative 4e-16) over (0, 1), including tiny values', () => {
    const rng = new Random(16);
    const xs = [
      1e-300,
      5e-324,
      Number.MIN_VALUE * 3,
      1e-10,
      0.1,
      Math.SQRT1_2,
      Math.SQRT1_2 - 1e-16,
      0.7062322464214984,
      0.999999,
      1 - 2 ** -53,
    ];
    for (let i = 0; i < 100_000; i++) {
      xs.push(rng.uniform());
      // Spread over every binade down to the subnormals.
      xs.push(Math.exp(-745 * rng.uniform()));
    }
    for (const x of xs) {
      if (x === 0) continue;
      const expected = Math.log(x);
      const found = portableLog(x);
      if (!(Math.abs(found - expected) <= 4e-16 * Math.abs(expected))) {
        const ulps = Math.abs(found - expected) / ulp(expected);
        expect.fail(`portableLog(${x}) = ${found}, Math.log gives ${expected} (${ulps} ulp apart)`);
      }
    }
  });
});

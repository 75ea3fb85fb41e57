import { Conv2D, Dense, Flatten, GELU, MaxPool2D, ReLU, Sequential, Softmax } from '@mnist/nn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export/export-onnx.js';
import { OnnxError } from '../onnx-error.js';
import { importOnnx } from './import-onnx.js';

// Small valid models whose every byte is worth mutating: a tag, a length, a dimension or a weight.
const SEEDS = [
  exportOnnx(new Sequential([new Dense(5, 4), new ReLU(), new Dense(4, 3), new Softmax()], { seed: 1 })),
  exportOnnx(new Sequential([new Conv2D(1, 2, 3, { padding: 1 }), new MaxPool2D(2), new Flatten(), new Dense(8, 3)]), {
    inputShape: [1, 4, 4],
  }),
  exportOnnx(new Sequential([new Dense(3, 3), new GELU()]), { opset: 13 }),
];

/** A mutation of a file: a byte changed, a run of bytes cut out, bytes inserted, or the file truncated. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'set': {
      const copy = bytes.slice();
      copy[at % bytes.length] = m.value;
      return copy;
    }
    case 'cut':
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case 'truncate':
      return bytes.subarray(0, at);
  }
}

/**
 * Imports `bytes`: a model or an OnnxError, nothing else, and within a small budget of weights. (A hang would fail
 * the test by its timeout; how long each import takes is not asserted.)
 */
function importOrTypedError(bytes: Uint8Array): void {
  try {
    const model = importOnnx(bytes, { maxParameters: 10_000 });
    expect(model.parameterCount()).toBeLessThanOrEqual(10_000);
  } catch (error) {
    if (!(error instanceof OnnxError)) throw new Error(`not an OnnxError: ${String(error)}`, { cause: error });
  }
}

describe('importOnnx on mutated files (fast-check)', () => {
  it('gives a model or one typed OnnxError: never another exception, a hang or weights over the budget', () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        importOrTypedError(mutations.reduce(mutate, SEEDS[seed]));
      }),
      { numRuns: 600, seed: 20_170 },
    );
  });

  it('random bytes are an OnnxError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(() => importOnnx(bytes)).toThrow(OnnxError);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('deeply nested messages are an OnnxError, not a stack overflow', () => {
    // graph (field 7) → node (field 1) → attribute (field 5) → g (field 6) → node → … as nested length-delimited fields.
    let inner = new Uint8Array(0);
    for (let depth = 0; depth < 20_000; depth++) {
      const tag = depth % 3 === 0 ? 0x0a : depth % 3 === 1 ? 0x2a : 0x32;
      const length = varint(inner.length);
      const next = new Uint8Array(1 + length.length + inner.length);
      next.set([tag, ...length]);
      next.set(inner, 1 + length.length);
      inner = next;
    }
    const bytes = new Uint8Array([0x08, 0x07, 0x3a, ...varint(inner.length), ...inner]);
    expect(() => importOnnx(bytes)).toThrow(OnnxError);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

import { describe, expect, it } from 'vitest';
import { describeThrown, describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('shows scalars as JSON, cut to the maximum length', () => {
    expect(describeValue('model')).toBe('"model"');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(false)).toBe('false');
    expect(describeValue('x'.repeat(100), 10)).toBe(`"${'x'.repeat(9)}…`);
  });

  it('shows infinities and NaN by name, where JSON would print null', () => {
    expect(describeValue(JSON.parse('1e400'))).toBe('Infinity');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(Number.NaN)).toBe('NaN');
  });

  it('shows containers by kind and size without walking them', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe('an array of 1');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(() => 1)).toBe('a function');
  });
});

describe('describeThrown', () => {
  it('gives an error’s message, and a description of anything else', () => {
    expect(describeThrown(new RangeError('too big'))).toBe('too big');
    expect(describeThrown(null)).toBe('null');
    expect(describeThrown(Symbol('odd'))).toBe('Symbol(odd)');
    const hostile = Object.create(Error.prototype, {
      message: {
        get() {
          throw new Error('no');
        },
      },
    });
    expect(describeThrown(hostile)).toBe('an object');
  });
});

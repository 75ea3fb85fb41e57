import { describe, expect, it } from 'vitest';
import { CrossEntropy } from './cross-entropy.js';
import { LOSS_NAMES, lossByName } from './loss-by-name.js';
import { MeanSquaredError } from './mean-squared-error.js';

describe('lossByName', () => {
  it('makes a new built-in loss for each known name', () => {
    expect(LOSS_NAMES).toEqual(['categoricalCrossEntropy', 'meanSquaredError']);
    expect(lossByName('categoricalCrossEntropy')).toBeInstanceOf(CrossEntropy);
    expect(lossByName('meanSquaredError')).toBeInstanceOf(MeanSquaredError);
    expect(lossByName('meanSquaredError')).not.toBe(lossByName('meanSquaredError'));
    for (const name of LOSS_NAMES) expect(lossByName(name)?.name).toBe(name);
  });

  it('returns undefined for an unknown name, including Object.prototype keys', () => {
    expect(lossByName('mse')).toBeUndefined();
    expect(lossByName('constructor')).toBeUndefined();
    expect(lossByName('__proto__')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { KERNELS } from '../current.js';
import { jsBackend } from './index.js';

describe('jsBackend', () => {
  it('is named js and frozen, so spreading it is the only way to change a kernel', () => {
    expect(jsBackend.name).toBe('js');
    expect(Object.isFrozen(jsBackend)).toBe(true);
  });

  it('provides every kernel as a function and nothing else besides its name', () => {
    for (const kernel of KERNELS) expect(typeof jsBackend[kernel], kernel).toBe('function');
    expect(Object.keys(jsBackend).sort()).toEqual(['name', ...KERNELS].sort());
  });
});

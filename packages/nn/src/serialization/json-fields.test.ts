import { describe, expect, it } from 'vitest';
import { arrayAt, checkFields, entryPath, fieldPath, objectAt } from './json-fields.js';
import { ModelFormatError } from './model-format-error.js';

describe('JSON paths', () => {
  it('use dots for identifiers and quoted brackets for anything else', () => {
    expect(fieldPath('$', 'weights')).toBe('$.weights');
    expect(fieldPath('$.layers[0]', 'in size')).toBe('$.layers[0]["in size"]');
    expect(fieldPath('$', '0.weight')).toBe('$["0.weight"]');
    expect(entryPath('$.weights', 'bias')).toBe('$.weights["bias"]');
  });
});

describe('objectAt, arrayAt and checkFields', () => {
  it('accept what they expect', () => {
    expect(objectAt({ a: 1 }, '$')).toEqual({ a: 1 });
    expect(arrayAt([1, 2], '$', 2)).toEqual([1, 2]);
    expect(() => checkFields({ dtype: 'float32' }, '$.w', ['dtype', 'shape'], 'a tensor entry')).not.toThrow();
  });

  it('reject anything else with the path, the expected and the found', () => {
    expect(() => objectAt([], '$.x')).toThrow(new ModelFormatError('$.x', 'expected an object, found an array of 0'));
    expect(() => objectAt(null, '$.x')).toThrow('$.x: expected an object, found null');
    expect(() => arrayAt({}, '$.a', 3)).toThrow('$.a: expected an array, found an object');
    expect(() => arrayAt([1, 2, 3, 4], '$.a', 3)).toThrow('$.a: expected at most 3 entries, found 4');
    expect(() => checkFields({ dtype: 'float32', dtyp: 1 }, '$.w', ['dtype', 'shape'], 'a tensor entry')).toThrow(
      new ModelFormatError('$.w.dtyp', 'unknown field; a tensor entry has only dtype, shape (found 1)'),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { readConfig } from './config-reader.js';

describe('readConfig', () => {
  it('reads typed fields', () => {
    const read = readConfig('Dense', { inputSize: 4, l2: 0.5, useBias: true, initializer: 'he', sizes: [1] });
    expect(read.integer('inputSize')).toBe(4);
    expect(read.number('l2')).toBe(0.5);
    expect(read.optionalNumber('missing')).toBeUndefined();
    expect(read.boolean('useBias')).toBe(true);
    expect(read.oneOf('initializer', ['he', 'glorot'])).toBe('he');
    expect(read.array('sizes')).toEqual([1]);
    expect(() => read.end()).not.toThrow();
  });

  it('end() rejects the first field no getter asked for, listing the fields that were read', () => {
    const read = readConfig('Dense', { inputSize: 4, outputsize: 3 });
    read.integer('inputSize');
    read.optionalNumber('outputSize');
    expect(() => read.end()).toThrow(
      new ConfigError(
        'Dense',
        'outputsize',
        'absent: Dense has no field of this name (its fields are inputSize, outputSize)',
        '3',
      ),
    );
    let error: unknown;
    try {
      readConfig('ReLU', { slope: 0.1 }).end();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('slope');
    expect((error as Error).message).toBe(
      "ReLU config: 'slope' must be absent: ReLU has no field of this name (it has none), found 0.1",
    );
  });

  it('shows an infinite number as Infinity (JSON.parse reads 1e400 so), not as null', () => {
    expect(() => readConfig('Dense', JSON.parse('{"inputSize": 1e400}')).integer('inputSize')).toThrow(
      "Dense config: 'inputSize' must be an integer in [1, 1048576], found Infinity",
    );
  });

  it('describes a deeply nested value without walking it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => readConfig('Dense', { inputSize: deep as never }).integer('inputSize')).toThrow(
      "Dense config: 'inputSize' must be an integer in [1, 1048576], found an array of 1",
    );
  });
});

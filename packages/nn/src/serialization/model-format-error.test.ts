import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './model-format-error.js';

describe('ModelFormatError', () => {
  it('starts its message with the JSON path, and with the file when there is one', () => {
    const error = new ModelFormatError('$.version', 'this library reads version 1, found 2');
    expect(error.message).toBe('$.version: this library reads version 1, found 2');
    expect([error.name, error.path, error.detail, error.file]).toEqual([
      'ModelFormatError',
      '$.version',
      'this library reads version 1, found 2',
      undefined,
    ]);
    const cause = new Error('inner');
    const inFile = new ModelFormatError('$', 'bad', { cause }).inFile('models/mlp.json');
    expect(inFile).toBeInstanceOf(ModelFormatError);
    expect(inFile.message).toBe('models/mlp.json: $: bad');
    expect([inFile.file, inFile.path, inFile.detail, inFile.cause]).toEqual(['models/mlp.json', '$', 'bad', cause]);
    expect('cause' in new ModelFormatError('$', 'bad').inFile('m.json')).toBe(false);
  });
});

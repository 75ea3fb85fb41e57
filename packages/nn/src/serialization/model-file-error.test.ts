import { describe, expect, it } from 'vitest';
import { ModelFileError } from './model-file-error.js';

describe('ModelFileError.from', () => {
  it('names the file, the reason and the code, keeping the cause', () => {
    const cause = Object.assign(new Error("EISDIR: illegal operation on a directory, rename 'a.tmp' -> 'a'"), {
      code: 'EISDIR',
    });
    const error = ModelFileError.from(cause, 'save the model to', 'models/a');
    expect(error.message).toBe('cannot save the model to models/a: it is a directory (EISDIR)');
    expect([error.name, error.file, error.code, error.cause]).toEqual(['ModelFileError', 'models/a', 'EISDIR', cause]);
  });

  it('falls back on the cause’s message for an unknown code, or none', () => {
    const error = ModelFileError.from(Object.assign(new Error('odd'), { code: 'EWEIRD' }), 'read', 'm.json');
    expect(error.message).toBe('cannot read m.json: odd (EWEIRD)');
    expect(ModelFileError.from('plain', 'read', 'm.json').message).toBe('cannot read m.json: plain');
    expect(ModelFileError.from('plain', 'read', 'm.json').code).toBeUndefined();
  });
});

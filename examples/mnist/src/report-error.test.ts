import { IdxFormatError } from '@mnist/datasets';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { reportError } from './report-error.js';

describe('reportError', () => {
  const userError = new CliError('--data: /d/train-images-idx3-ubyte: expected an IDX magic number, found 0x67', {
    cause: new IdxFormatError('/d/train-images-idx3-ubyte', 'an IDX magic number', '0x67'),
  });

  it('prints a user error as one line and exits with 2', () => {
    const { text, exitCode } = reportError(userError, { verbose: false });
    expect(text).toBe('mnist: --data: /d/train-images-idx3-ubyte: expected an IDX magic number, found 0x67\n');
    expect(exitCode).toBe(2);
  });

  it('adds the stack traces of the error and its cause with --verbose', () => {
    const { text, exitCode } = reportError(userError, { verbose: true });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('mnist: --data: /d/train-images-idx3-ubyte: expected an IDX magic number, found 0x67');
    expect(text).toMatch(/\n\s+at /);
    expect(text).toMatch(/caused by: IdxFormatError: \/d\/train-images-idx3-ubyte/);
    expect(exitCode).toBe(2);
  });

  it('describes a typed library error that reached the top without context', () => {
    const { text, exitCode } = reportError(new IdxFormatError('/f', 'an IDX magic number', '0x67'), {
      verbose: false,
    });
    expect(text).toBe('mnist: /f: expected an IDX magic number, found 0x67\n');
    expect(exitCode).toBe(2);
  });

  it('prints a bug with its stack trace and exits with 1, verbose or not', () => {
    const { text, exitCode } = reportError(new TypeError('cannot read properties of undefined'), { verbose: false });
    expect(text).toMatch(/^mnist: internal error, please report it: TypeError: cannot read properties of undefined\n/);
    expect(text).toMatch(/\n\s+at /);
    expect(exitCode).toBe(1);
  });
});

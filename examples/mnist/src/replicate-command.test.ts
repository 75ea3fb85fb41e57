import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { CliError } from './cli-error.js';
import { parseOptions } from './options.js';
import { replicateCommand } from './replicate-command.js';

describe('replicate', () => {
  it('reports a diverging run in one line that names the learning rate', { timeout: 30_000 }, async () => {
    const options = parseOptions(['replicate', '--train-size', '1200', '--test-size', '100', '--learning-rate', '1e9']);
    const error = await replicateCommand({ ...options, quiet: true }, captureIo(tmpdir())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(
      /^--learning-rate 1000000000: training diverged: the loss became (NaN|-?Infinity); try a lower learning rate$/,
    );
  });
});

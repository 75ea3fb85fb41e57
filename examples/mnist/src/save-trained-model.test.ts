import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadModelFile, saveModelFile } from '@mnist/nn/node';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { mlp } from './mlp.js';
import { saveTrainedModel } from './save-trained-model.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const diskFull = async () => {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
};

describe('saveTrainedModel', () => {
  it('saves to the path when it can', async () => {
    await saveTrainedModel(mlp(1), join(dir, 'ok.json'), saveModelFile);
    expect(existsSync(join(dir, 'ok.json'))).toBe(true);
  });

  it('saves to a new directory in the temporary directory when the path fails, and says where', async () => {
    const model = mlp(2);
    const error = await saveTrainedModel(model, join(dir, 'full.json'), diskFull).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    const match =
      /^--out: .*\/full\.json: no space left on the device; the trained model was saved to (\S+) instead$/.exec(
        (error as CliError).message,
      );
    expect(match, (error as CliError).message).not.toBeNull();
    const fallback = (match as RegExpExecArray)[1];
    try {
      expect(dirname(dirname(fallback))).toBe(tmpdir());
      expect((await loadModelFile(fallback)).save()).toEqual(model.save());
    } finally {
      // Only ever a directory the fallback created: never anything else, whatever the message said.
      if (dirname(dirname(fallback)) === tmpdir()) rmSync(dirname(fallback), { recursive: true, force: true });
    }
  });
});

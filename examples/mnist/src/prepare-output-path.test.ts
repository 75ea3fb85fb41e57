import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { prepareOutputPath } from './prepare-output-path.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'file.txt'), '');

async function refusal(typed: string, path = join(dir, typed)): Promise<string> {
  const error = await prepareOutputPath(typed, path, 'mnist-mlp.json').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return (error as CliError).message;
}

describe('prepareOutputPath refuses a destination the model could not be saved to', () => {
  it('a directory', async () => {
    expect(await refusal('.', dir)).toBe(
      `--out: ${dir} is a directory; give a file name, such as ${dir}/mnist-mlp.json`,
    );
  });

  it('a path ending in a separator, which names a directory even before it exists', async () => {
    expect(await refusal('models/')).toBe(
      '--out: models/ names a directory; give a file name, such as models/mnist-mlp.json',
    );
  });

  it('a path under a regular file, however deep', async () => {
    expect(await refusal('file.txt/model.json')).toBe(`--out: ${dir}/file.txt is not a directory`);
    expect(await refusal('file.txt/a/b/model.json')).toBe(`--out: ${dir}/file.txt is not a directory`);
  });

  it('something other than a regular file', async () => {
    expect(await refusal('/dev/null', '/dev/null')).toBe('--out: /dev/null exists and is not a regular file');
  });

  // Paths that refuse writes even to root: /sys is read-only, and /proc refuses new directories (on which Node's
  // recursive mkdir spins forever).
  it.runIf(process.platform === 'linux')('a directory that cannot be written or created', async () => {
    expect(await refusal('/sys/model.json', '/sys/model.json')).toBe('--out: cannot write to /sys: permission denied');
    expect(await refusal('/proc/models/model.json', '/proc/models/model.json')).toBe(
      '--out: cannot create the directory /proc/models: no such file or directory',
    );
  });
});

describe('prepareOutputPath names the flag it checks', () => {
  it('--onnx for export', async () => {
    const error = await prepareOutputPath('.', dir, 'mnist-mlp.onnx', '--onnx').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      `--onnx: ${dir} is a directory; give a file name, such as ${dir}/mnist-mlp.onnx`,
    );
  });
});

describe('prepareOutputPath accepts a destination that can be written', () => {
  it('creates the missing directories and leaves nothing else behind', async () => {
    await prepareOutputPath('new/dirs/m.json', join(dir, 'new', 'dirs', 'm.json'), 'mnist-mlp.json');
    expect(statSync(join(dir, 'new', 'dirs')).isDirectory()).toBe(true);
    expect(readdirSync(join(dir, 'new', 'dirs'))).toEqual([]);
  });

  it('an existing model file, which the save replaces', async () => {
    writeFileSync(join(dir, 'old.json'), '{}');
    await expect(prepareOutputPath('old.json', join(dir, 'old.json'), 'mnist-mlp.json')).resolves.toBeUndefined();
  });
});

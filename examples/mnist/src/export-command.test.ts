import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModelFile } from '@mnist/nn/node';
import { importOnnxFile } from '@mnist/onnx/node';
import { afterAll, describe, expect, it } from 'vitest';
import { cnn } from './cnn.js';
import { exportCommand } from './export-command.js';
import type { Io } from './io.js';
import { mlp } from './mlp.js';
import { parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): Io & { text(): string } {
  const chunks: string[] = [];
  return { isTTY: false, cwd: dir, write: (t) => void chunks.push(t), text: () => chunks.join('') };
}

describe('pnpm mnist export --onnx, and predict --model FILE.onnx', () => {
  it.each([
    ['mlp', () => mlp(3)],
    ['cnn', () => cnn(3)],
  ])(
    'the %s exports, and predicts from the ONNX file what it predicts from its own',
    { timeout: 60_000 },
    async (name, make) => {
      await saveModelFile(make(), join(dir, `${name}.json`));
      const io = capture();
      const result = await exportCommand(
        parseOptions(['export', '--model', `${name}.json`, '--onnx', `${name}.onnx`]),
        io,
      );
      expect(result.onnxPath).toBe(join(dir, `${name}.onnx`));
      expect(io.text()).toContain(`ONNX model written to ${join(dir, `${name}.onnx`)}`);
      expect((await importOnnxFile(result.onnxPath)).layers.length).toBeGreaterThan(3);

      const predict = (model: string) =>
        predictCommand({ ...parseOptions(['predict', '--model', model, '--index', '0,1,2']), quiet: true }, capture());
      const fromOnnx = await predict(`${name}.onnx`);
      const fromJson = await predict(`${name}.json`);
      expect(fromOnnx.map((p) => p.actual)).toEqual([7, 2, 1]);
      expect(fromOnnx.map((p) => p.probabilities)).toEqual(fromJson.map((p) => p.probabilities));
    },
  );

  it('says what is missing', async () => {
    await expect(exportCommand(parseOptions(['export', '--model', 'mlp.json']), capture())).rejects.toThrow(
      /export needs --onnx FILE/,
    );
    await expect(
      exportCommand(parseOptions(['export', '--model', 'none.json', '--onnx', 'x.onnx']), capture()),
    ).rejects.toThrow(/no model at .*none\.json/);
    await expect(
      predictCommand(
        { ...parseOptions(['predict', '--model', 'mlp.json']), modelPath: join(dir, 'mlp.json.onnx') },
        capture(),
      ),
    ).rejects.toThrow(/no model at/);
  });
});

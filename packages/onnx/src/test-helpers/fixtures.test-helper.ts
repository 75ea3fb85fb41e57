// The PyTorch-made fixtures copied into test-fixtures/, each checked against the sha256 that fixtures.json records.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const dir = new URL('../../test-fixtures/', import.meta.url);

/** The names of the three fixtures. */
export type FixtureName = 'mlp' | 'cnn-batchnorm' | 'cnn-folded';

/** A fixture's bytes, PyTorch's probabilities on the first 100 test images, and its recorded test accuracy. */
export interface Fixture {
  bytes: Uint8Array;
  labels: number[];
  probabilities: number[][];
  testAccuracy: number;
  layout: 'flat' | 'image';
}

export function loadFixture(name: FixtureName): Fixture {
  const manifest = JSON.parse(readFileSync(new URL('fixtures.json', dir), 'utf8')).models[name];
  const bytes = new Uint8Array(readFileSync(new URL(manifest.file, dir)));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== manifest.sha256) throw new Error(`${manifest.file}: sha256 ${sha256}, expected ${manifest.sha256}`);
  const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8'));
  return {
    bytes,
    labels: expected.labels,
    probabilities: expected.probabilities,
    testAccuracy: manifest.test_accuracy,
    layout: manifest.input_shape.length === 2 ? 'flat' : 'image',
  };
}

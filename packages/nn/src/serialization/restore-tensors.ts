import type { Tensor } from '@mnist/tensor';
import { entryPath } from './json-fields.js';
import { ModelFormatError } from './model-format-error.js';
import type { DecodedTensor } from './read-tensors.js';

/**
 * Copies each saved tensor into the model tensor of the same name, after checking its shape: every model tensor must
 * be saved and no saved tensor may be left over. `section` is the JSON path of the saved tensors (`$.weights`) and
 * `kind` names a model tensor in messages (`parameter`). Empties `saved`. @internal
 */
export function restoreTensors(
  targets: readonly { name: string; value: Tensor }[],
  saved: Map<string, DecodedTensor>,
  section: string,
  kind: string,
): void {
  const what = section === '$.weights' ? 'weights' : 'values';
  for (const t of targets) {
    const entry = saved.get(t.name);
    if (!entry) throw new ModelFormatError(section, `missing the ${what} of ${kind} '${t.name}'`);
    const shape = t.value.shape;
    if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFormatError(
        `${entryPath(section, t.name)}.shape`,
        `expected [${shape}] for the layer as configured, found [${entry.shape}]`,
      );
    }
    t.value.data.set(entry.values);
    saved.delete(t.name);
  }
  for (const name of saved.keys()) {
    throw new ModelFormatError(
      entryPath(section, name),
      `the model has no ${kind} of this name; its ${kind}s are ${targets.map((t) => t.name).join(', ') || 'none'}`,
    );
  }
}

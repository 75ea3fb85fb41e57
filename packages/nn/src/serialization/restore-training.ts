import { ConfigError } from '../config-error.js';
import type { LayerConfig } from '../layer.js';
import { LOSS_NAMES, lossByName } from '../losses/loss-by-name.js';
import type { Optimizer, OptimizerClass } from '../optimizers/optimizer.js';
import type { Sequential } from '../sequential.js';
import { BUILT_IN_OPTIMIZERS } from './built-ins.js';
import { describeThrown, describeValue } from './describe-value.js';
import { checkFields, entryPath, fieldPath, objectAt } from './json-fields.js';
import { ModelFormatError } from './model-format-error.js';
import { decodeValues } from './read-tensors.js';

const TRAINING_FIELDS = ['loss', 'random', 'optimizer'] as const;
const OPTIMIZER_FIELDS = ['type', 'config', 'iterations', 'slots'] as const;

/**
 * Restores the `training` section: compiles `model` with the saved loss and an optimizer rebuilt from its config, step
 * count and slots, and sets the model generator's state. Every field is checked, unknown ones rejected, and each slot
 * must be one the optimizer keeps, of its parameter's size. @internal
 *
 * @param optimizers - the custom optimizer classes of `loadModel`'s options, by type
 */
export function restoreTraining(
  model: Sequential,
  section: unknown,
  optimizers: Readonly<Record<string, OptimizerClass>> = {},
): void {
  const training = objectAt(section, '$.training');
  checkFields(training, '$.training', TRAINING_FIELDS, 'the training section');
  const lossName = training.loss;
  const loss = typeof lossName === 'string' ? lossByName(lossName) : undefined;
  if (!loss) {
    throw new ModelFormatError(
      '$.training.loss',
      `expected one of ${LOSS_NAMES.join(', ')}, found ${describeValue(lossName)}`,
    );
  }
  const optimizer = restoreOptimizer(model, objectAt(training.optimizer, '$.training.optimizer'), optimizers);
  const random = training.random;
  if (
    !Array.isArray(random) ||
    random.length !== 4 ||
    random.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) ||
    random.every((w) => w === 0)
  ) {
    throw new ModelFormatError(
      '$.training.random',
      `expected four unsigned 32-bit integers, not all zero, found ${describeValue(random)}`,
    );
  }
  model.rng.setState(random as number[]);
  model.compile({ loss, optimizer });
}

function restoreOptimizer(
  model: Sequential,
  saved: Record<string, unknown>,
  custom: Readonly<Record<string, OptimizerClass>>,
): Optimizer {
  const path = '$.training.optimizer';
  checkFields(saved, path, OPTIMIZER_FIELDS, 'an optimizer');
  const classes = new Map<string, OptimizerClass>([...BUILT_IN_OPTIMIZERS, ...Object.entries(custom)]);
  const type = saved.type;
  const cls = typeof type === 'string' ? classes.get(type) : undefined;
  if (!cls) {
    throw new ModelFormatError(
      `${path}.type`,
      `unknown optimizer ${describeValue(type)}; known: ${[...classes.keys()].join(', ')}`,
    );
  }
  const config = objectAt(saved.config, `${path}.config`) as LayerConfig;
  const optimizer = call(`${path}.config`, () => cls.fromConfig(config));
  const iterations = saved.iterations;
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations) || iterations < 0) {
    throw new ModelFormatError(
      `${path}.iterations`,
      `expected a non-negative integer, found ${describeValue(iterations)}`,
    );
  }
  const params = new Map(model.params().map((p) => [p.name, p.value.shape]));
  const slots: Record<string, Record<string, Float32Array>> = Object.create(null);
  const savedSlots = objectAt(saved.slots, `${path}.slots`);
  for (const name of Object.keys(savedSlots)) {
    const at = entryPath(`${path}.slots`, name);
    const shape = params.get(name);
    if (shape === undefined) throw new ModelFormatError(at, 'the model has no parameter of this name');
    const perSlot = objectAt(savedSlots[name], at);
    slots[name] = Object.create(null);
    for (const slot of Object.keys(perSlot)) {
      slots[name][slot] = decodeValues(perSlot[slot], shape, entryPath(at, slot));
    }
  }
  call(`${path}.slots`, () =>
    optimizer.loadState({ type: optimizer.type, iterations: iterations as number, slots }, model.params()),
  );
  // loadState reads the slots it keeps and ignores others: a misnamed slot would be dropped in silence.
  const kept = call(`${path}.slots`, () => optimizer.state().slots);
  for (const name of Object.keys(slots)) {
    const names = Object.keys(kept[name] ?? {});
    for (const slot of Object.keys(slots[name])) {
      if (!names.includes(slot)) {
        throw new ModelFormatError(
          entryPath(entryPath(`${path}.slots`, name), slot),
          `${optimizer.type} keeps no slot of this name; its slots are ${names.join(', ') || 'none'}`,
        );
      }
    }
  }
  return optimizer;
}

/** Runs an optimizer's code, turning whatever it throws into a {@link ModelFormatError} at `path`. */
function call<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    if (error instanceof ConfigError) {
      throw new ModelFormatError(fieldPath(path, String(error.field)), error.message, { cause: error });
    }
    throw new ModelFormatError(path, describeThrown(error), { cause: error });
  }
}

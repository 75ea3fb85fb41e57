import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { Dense, type Layer, type LayerClass, type LoadContext, ModelFormatError, ReLU, Sequential } from '../index.js';
import { countFloat32Allocations } from './float32-allocations.fixture.js';
import { LayerBuilder, MAX_LAYERS, UNPAID_ALLOWANCE } from './layer-builder.js';

const builtIn = new Map<string, LayerClass>([
  ['Dense', Dense],
  ['ReLU', ReLU],
  ['Sequential', Sequential],
]);

function builder(classes: Record<string, unknown> = {}, paid = Number.POSITIVE_INFINITY, maxParameters = 2 ** 26) {
  const all = new Map([...builtIn, ...(Object.entries(classes) as [string, LayerClass][])]);
  return new LayerBuilder(all, { paid, maxParameters });
}

/** The ModelFormatError that building `spec` throws. */
function failure(build: () => unknown): ModelFormatError {
  try {
    build();
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw new Error(`expected a ModelFormatError, got ${String(error)}`);
  }
  throw new Error('expected the build to fail');
}

const dense = (inputSize: number, outputSize: number) => ({
  type: 'Dense',
  config: { inputSize, outputSize, initializer: 'zeros', useBias: true, l2: 0 },
});

describe('LayerBuilder: what the layers allocate', () => {
  it('lets layers allocate what the file pays for, plus a small allowance', () => {
    const b = builder({}, 100);
    expect(b.build(dense(4, 20), '$.layers[0]')).toBeInstanceOf(Dense); // 100 values
    expect(b.build(dense(256, 255), '$.layers[1]')).toBeInstanceOf(Dense); // 65 535 more: within the allowance
    const error = failure(() => b.build(dense(1, 1), '$.layers[2]'));
    expect(error.path).toBe('$.layers[2].config');
    expect(error.detail).toBe(
      `Dense would allocate 2 float32 values for its parameters and state after the ${100 + UNPAID_ALLOWANCE - 1} of the layers before it, but the file's weights and state hold only 100 (a model file holds every value its layers allocate)`,
    );
  });

  it('refuses a layer before it is constructed, allocating nothing', () => {
    const { error, total } = countFloat32Allocations(() => builder({}, 0).build(dense(4096, 4096), '$.layers[0]'));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(total).toBe(0);
  });

  it('counts a custom layer that does not reserve after construction, as the nested layers of a container', () => {
    class BigDense extends Dense {
      override readonly type = 'acme/Big';
    }
    const Big = { fromConfig: () => new BigDense(300, 300) };
    const error = failure(() => builder({ 'acme/Big': Big }, 0).build({ type: 'acme/Big', config: {} }, '$.layers[0]'));
    expect(error.path).toBe('$.layers[0]');
    expect(error.detail).toMatch(/^the layers up to this one hold 90300 values of parameters and state, but the file/);
    const nested = { type: 'Sequential', config: { layers: [dense(2, 2), dense(2, 2)] } };
    const b = builder({}, 12, 12);
    expect(b.build(nested, '$.layers[0]')).toBeInstanceOf(Sequential);
    expect(failure(() => b.build(dense(1, 1), '$.layers[1]')).detail).toMatch(/after the 12 of the layers before it/);
  });

  it('passes the config field a layer reserves for to the error path', () => {
    const Sized: LayerClass = {
      fromConfig(config, context) {
        context.reserve(config.size as number, 'size');
        return new ReLU();
      },
    };
    const error = failure(() => builder({ ReLU: Sized }, 0).build({ type: 'ReLU', config: { size: 1e6 } }, '$.l'));
    expect(error.path).toBe('$.l.config.size');
    const odd = failure(() => builder({ ReLU: Sized }).build({ type: 'ReLU', config: { size: -1 } }, '$.l'));
    expect(odd.detail).toBe('ReLU.fromConfig failed: LoadContext.reserve: expected a number of values ≥ 0, found -1');
  });
});

describe('LayerBuilder: structure', () => {
  it('rejects fields of a layer entry other than type and config', () => {
    const error = failure(() => builder().build({ type: 'ReLU', config: {}, name: 'relu' }, '$.layers[3]'));
    expect(error.message).toBe('$.layers[3].name: unknown field; a layer has only type, config (found "relu")');
  });

  it('limits the nesting depth and the number of layers', () => {
    let spec: unknown = { type: 'ReLU', config: {} };
    for (let i = 0; i < 17; i++) spec = { type: 'Sequential', config: { layers: [spec] } };
    expect(failure(() => builder().build(spec, '$.layers[0]')).detail).toBe(
      'layers nest more than 16 containers deep, the most a model file may',
    );
    const wide = { type: 'Sequential', config: { layers: Array(MAX_LAYERS).fill({ type: 'ReLU', config: {} }) } };
    const error = failure(() => builder().build(wide, '$.layers[0]'));
    expect(error.path).toBe(`$.layers[0].config.layers[${MAX_LAYERS - 1}]`);
    expect(error.detail).toBe(`a model file may hold at most ${MAX_LAYERS} layers, nested ones included`);
  });

  it('turns a ConfigError into the JSON path of its field', () => {
    const error = failure(() => builder().build({ type: 'Dense', config: { inputSize: 'x' } }, '$.layers[1]'));
    expect(error.path).toBe('$.layers[1].config.inputSize');
    expect(error.cause).toBeInstanceOf(ConfigError);
  });
});

describe('LayerBuilder: custom classes that misbehave', () => {
  const build = (cls: unknown) =>
    failure(() => builder({ 'acme/Odd': cls }).build({ type: 'acme/Odd', config: {} }, '$.layers[1]'));

  it('a fromConfig that throws a symbol, null, undefined or an object whose message getter throws', () => {
    const hostile = Object.create(Error.prototype, {
      message: {
        get() {
          throw new Error('no');
        },
      },
    });
    for (const [thrown, shown] of [
      [Symbol('odd'), 'Symbol(odd)'],
      [null, 'null'],
      [undefined, 'nothing'],
      [hostile, 'an object'],
    ] as const) {
      const error = build({
        fromConfig: () => {
          throw thrown;
        },
      });
      expect(error.path).toBe('$.layers[1].config');
      expect(error.detail).toBe(`acme/Odd.fromConfig failed: ${shown}`);
    }
  });

  it('a fromConfig that returns something that is not a layer of its type', () => {
    expect(build({ fromConfig: () => 42 }).detail).toBe('acme/Odd.fromConfig returned 42, not a layer');
    expect(build({ fromConfig: () => new ReLU() }).detail).toBe("acme/Odd.fromConfig returned a layer of type 'ReLU'");
    expect(build({ fromConfig: () => ({ type: 'acme/Odd' }) }).detail).toBe(
      'acme/Odd.fromConfig returned a layer without a forward() method',
    );
  });

  it('a layer whose type, params() or state() throws or returns something other than named tensors', () => {
    const layer = (overrides: Record<string, unknown>) => ({
      fromConfig: () => {
        const base: Record<string, unknown> = {
          type: 'acme/Odd',
          forward: (x: unknown) => x,
          backward: (x: unknown) => x,
          params: () => [],
          config: () => ({}),
          outputShape: (s: unknown) => s,
        };
        return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides)) as unknown as Layer;
      },
    });
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          get type() {
            throw new Error('no type');
          },
        },
        'acme/Odd.type failed: no type',
      ],
      [
        {
          params: () => {
            throw new Error('no params');
          },
        },
        'acme/Odd.params() failed: no params',
      ],
      [{ params: () => 7 }, 'acme/Odd.params() returned 7, not an array'],
      [
        { params: () => [{ name: 'w', value: {} }] },
        'acme/Odd.params() returned an object, not a { name, value: Tensor }',
      ],
      [{ state: () => [null] }, 'acme/Odd.state() returned null, not a { name, value: Tensor }'],
      [{ state: 5 }, 'acme/Odd.state() failed: layer.state is not a function'],
    ];
    for (const [overrides, detail] of cases) {
      const error = build(layer(overrides));
      expect(error.path).toBe('$.layers[1]');
      expect(error.detail).toBe(detail);
    }
  });
});

describe('LayerBuilder.context', () => {
  it('builds nested layers below the given path and reserves against the same limit', () => {
    const context: LoadContext = builder({}, 10).context('$', 'the layer', 0);
    expect(context.buildLayer({ type: 'ReLU', config: {} }, '.layers[0]')).toBeInstanceOf(ReLU);
    expect(failure(() => context.buildLayer({ type: 'Nope', config: {} }, '.layers[4]')).path).toBe('$.layers[4].type');
    expect(() => context.reserve(10 + UNPAID_ALLOWANCE)).not.toThrow();
    expect(failure(() => context.reserve(1, 'size')).path).toBe('$.size');
  });
});

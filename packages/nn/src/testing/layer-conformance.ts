import { allClose, formatShape, Random, randomUniform, type Shape, shapesEqual, type Tensor } from '@mnist/tensor';
import type { ForwardContext, Layer, LayerClass } from '../layer.js';
import { LayerStateError, zeroGrad } from '../layer.js';
import { Sequential } from '../sequential.js';
import { createLoadContext, loadModel } from '../serialization/load.js';
import { type GradientCheckOptions, gradientCheck } from './gradient-check.js';

/** Options of {@link layerConformanceCases} and {@link checkLayer}. */
export interface LayerCheckOptions {
  /** The input shape to test with, batch first, such as `[4, 10]`. */
  inputShape: Shape;
  /** Seed of the inputs. Default 1. */
  seed?: number;
  /**
   * Produces the test input. Default: uniform in `[−1, −0.1] ∪ [0.1, 1]`, away from the kink of ReLU-like functions.
   */
  input?: (rng: Random) => Tensor;
  /** The class whose `fromConfig` rebuilds the layer. Default: the layer's constructor. */
  layerClass?: LayerClass;
  /** Options of the gradient check. */
  gradient?: GradientCheckOptions;
  /** The forward context for the checks (see {@link GradientCheckOptions.context}). */
  context?: () => ForwardContext;
}

/** One named check of a layer; `run` throws on failure. */
export interface LayerCheckCase {
  /** What is checked. */
  readonly name: string;
  /** Runs the check. */
  run(): void;
}

/**
 * The conformance checks every layer should pass, built-in or yours, as cases any test runner can run:
 * output shape against `outputShape`; `backward` before `forward` throws {@link LayerStateError}; finite-difference
 * gradients for the input and every parameter; gradients accumulate until `zeroGrad`; `config()` is JSON and
 * `fromConfig(config())` rebuilds an equal layer; and a save → load round trip inside a `Sequential` predicts the same.
 *
 * @param create - makes a fresh layer (each case gets its own)
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { layerConformanceCases } from '@mnist/nn/testing';
 * declare const Scale: new (features: number) => Layer; // your layer, as in docs/writing-a-layer.md
 *
 * for (const c of layerConformanceCases(() => new Scale(3), { inputShape: [4, 3] })) it(c.name, c.run);
 * ```
 */
export function layerConformanceCases(create: () => Layer, options: LayerCheckOptions): LayerCheckCase[] {
  const context = options.context ?? (() => ({ training: false }));
  const makeInput = () => (options.input ?? awayFromZero(options.inputShape))(new Random(options.seed ?? 1));
  const type = create().type;
  const cases: LayerCheckCase[] = [];
  const add = (name: string, run: () => void) => cases.push({ name: `${type}: ${name}`, run });

  add('forward gives outputShape(inputShape)', () => {
    const layer = create();
    const y = layer.forward(makeInput(), context());
    const expected = layer.outputShape(options.inputShape);
    if (!shapesEqual(y.shape, expected))
      throw new Error(`forward gave ${formatShape(y.shape)}, outputShape says ${formatShape(expected)}`);
  });

  add('backward before forward throws LayerStateError', () => {
    const layer = create();
    const y = create().forward(makeInput(), context());
    let thrown: unknown;
    try {
      layer.backward(y);
    } catch (error) {
      thrown = error;
    }
    if (!(thrown instanceof LayerStateError)) throw new Error(`expected a LayerStateError, got ${String(thrown)}`);
  });

  add('gradients match finite differences', () => {
    const report = gradientCheck(create(), makeInput(), { context, ...options.gradient });
    if (report.mismatches.length > 0) {
      const shown = report.mismatches
        .slice(0, 5)
        .map((m) => `${m.tensor}[${m.index}]: backward ${m.analytic}, finite difference ${m.numeric}`);
      throw new Error(`${report.mismatches.length} of ${report.checked} gradients differ:\n${shown.join('\n')}`);
    }
  });

  add('parameter gradients accumulate until zeroGrad', () => {
    const layer = create();
    const params = layer.params();
    const names = new Set(params.map((p) => p.name));
    if (names.size !== params.length)
      throw new Error(`parameter names repeat: ${params.map((p) => p.name).join(', ')}`);
    for (const p of params) {
      if (!shapesEqual(p.grad.shape, p.value.shape))
        throw new Error(`${p.name}: grad ${formatShape(p.grad.shape)} ≠ value ${formatShape(p.value.shape)}`);
    }
    if (params.length === 0) return;
    const y = layer.forward(makeInput(), context());
    const dy = randomUniform(y.shape, new Random(2), -1, 1);
    zeroGrad(layer);
    layer.backward(dy);
    const once = params.map((p) => p.grad.clone());
    layer.forward(makeInput(), context());
    layer.backward(dy);
    params.forEach((p, i) => {
      const twice = once[i].clone();
      for (let j = 0; j < twice.size; j++) twice.data[j] *= 2;
      if (!allClose(p.grad, twice, { rtol: 1e-5, atol: 1e-6 }))
        throw new Error(`${p.name}: a second backward did not add to the gradient`);
    });
    zeroGrad(layer);
    if (params.some((p) => p.grad.data.some((v) => v !== 0))) throw new Error('zeroGrad left a non-zero gradient');
  });

  add('config is JSON and fromConfig rebuilds the layer', () => {
    const layer = create();
    const cls = options.layerClass ?? (layer.constructor as unknown as LayerClass);
    if (typeof cls.fromConfig !== 'function') throw new Error(`${type} has no static fromConfig`);
    const json = JSON.stringify(layer.config());
    // A container (a Sequential) builds its nested layers through the context, as it does when a model loads.
    const rebuilt = cls.fromConfig(JSON.parse(json), createLoadContext({ [type]: cls }));
    if (rebuilt.type !== layer.type) throw new Error(`fromConfig made a '${rebuilt.type}', not a '${layer.type}'`);
    if (JSON.stringify(rebuilt.config()) !== json)
      throw new Error(`config changed in the round trip: ${json} → ${JSON.stringify(rebuilt.config())}`);
    const originals = layer.params();
    for (const [i, p] of rebuilt.params().entries()) p.value.data.set(originals[i].value.data);
    const originalState = layer.state?.() ?? [];
    for (const [i, t] of (rebuilt.state?.() ?? []).entries()) t.value.data.set(originalState[i].value.data);
    const x = makeInput();
    const a = layer.forward(x, context()).clone();
    const b = rebuilt.forward(x, context());
    if (!a.equals(b)) throw new Error('the rebuilt layer computes something else with the same parameters and state');
  });

  add('save → load inside a Sequential predicts the same', () => {
    const layer = create();
    const cls = options.layerClass ?? (layer.constructor as unknown as LayerClass);
    const model = new Sequential([layer]);
    const text = JSON.stringify(model.save());
    const loaded = loadModel(text, { layers: { [type]: cls } });
    if (JSON.stringify(loaded.save()) !== text) throw new Error('save → load → save changed the bytes');
    const x = makeInput();
    if (!model.forward(x, context()).clone().equals(loaded.forward(x, context()))) {
      throw new Error('the loaded model predicts differently');
    }
  });
  return cases;
}

/** Runs every case of {@link layerConformanceCases}; throws one error listing every failure. */
export function checkLayer(create: () => Layer, options: LayerCheckOptions): void {
  const failures: string[] = [];
  for (const c of layerConformanceCases(create, options)) {
    try {
      c.run();
    } catch (error) {
      failures.push(`${c.name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`layer check failed:\n${failures.join('\n')}`);
}

function awayFromZero(shape: Shape): (rng: Random) => Tensor {
  return (rng) => {
    const x = randomUniform(shape, rng, 0.1, 1);
    for (let i = 0; i < x.size; i++) if (rng.uniform() < 0.5) x.data[i] = -x.data[i];
    return x;
  };
}

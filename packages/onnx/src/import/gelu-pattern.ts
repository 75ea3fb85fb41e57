import { GELU, type Layer } from '@mnist/nn';
import { erf } from '../erf.js';
import { ErfGELU } from '../erf-gelu.js';
import type { GraphIndex } from './graph-index.js';
import { isDefaultDomain } from './graph-index.js';
import type { ImportStep } from './import-step.js';
import type { NodeReader } from './node-reader.js';
import { readFloat32 } from './read-tensor.js';

/** The elementwise operators a GELU formula is written with, evaluated in double precision on probe values. */
const OPERATORS: Readonly<Record<string, (a: number, b: number) => number>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => a ** b,
  Erf: (a) => erf(a),
  Tanh: (a) => Math.tanh(a),
  Sqrt: (a) => Math.sqrt(a),
};

/** Whether an operator can be part of a GELU formula. @internal */
export function isFormulaOperator(opType: string): boolean {
  return Object.hasOwn(OPERATORS, opType);
}

// Probe inputs spread over GELU's curved part and tails; the two forms differ by up to 5·10⁻⁴ here, far more than
// float32 constants (√2 as 1.4142135) move either.
const PROBES = [-5, -3.1, -2.2, -1.6, -0.9, -0.3, 0, 0.2, 0.7, 1.3, 2.5, 4];
const TOLERANCE = 2e-6;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const FORMS: readonly { name: string; f: (x: number) => number; layer: () => Layer }[] = [
  { name: 'exact GELU', f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), layer: () => new ErfGELU() },
  {
    name: 'tanh GELU',
    f: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))),
    layer: () => new GELU(),
  },
];
// A GELU formula takes five to nine operators; a region this large is something else.
const MAX_NODES = 16;

/**
 * Recognises GELU written as a formula of elementwise operators on the chain's value `x` and scalar constants: the
 * `Erf` form older exporters write for `nn.GELU()` (`x·0.5·(1 + erf(x/√2))`) and the `Tanh` form of
 * `GELU(approximate='tanh')`, in whatever order their operators come. It gathers every node computed from `x` and
 * constants alone, which must end in one value, then evaluates that subgraph on probe inputs and compares it with
 * both forms, so a formula is recognised by what it computes, not by how it is spelled. @internal
 */
export function importGeluFormula(first: NodeReader, x: string): ImportStep {
  const graph = first.graph;
  const region = gatherRegion(graph, x);
  const names = region.map((i) => `'${graph.location(i).node}' (${graph.nodes[i].opType})`).join(', ');
  // The formula is the shortest closed part of the region: later elementwise layers (a Tanh after a GELU) join the
  // region too, but are not part of it.
  for (let length = 1; length <= region.length; length++) {
    const part = region.slice(0, length);
    const exits = exitValues(graph, part, x);
    if (exits.length !== 1 || exits[0] === x) continue;
    const evaluate = compile(first, part, x, exits[0]);
    for (const form of FORMS) {
      if (PROBES.every((p) => Math.abs(evaluate(p) - form.f(p)) <= TOLERANCE * (1 + Math.abs(form.f(p))))) {
        return { layers: [form.layer()], output: exits[0], nodes: part };
      }
    }
  }
  throw first.unsupported(
    `the elementwise nodes ${names || `reading '${x}'`} do not compute GELU of '${x}'; elementwise arithmetic imports only as a GELU formula (x·Φ(x) with Erf, or its tanh form) of the chain's value and scalar constants`,
  );
}

/** The nodes computed from `x` and constants alone, in an order where each follows its inputs. */
function gatherRegion(graph: GraphIndex, x: string): number[] {
  const region: number[] = [];
  const known = new Set([x]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const value of [...known]) {
      for (const i of graph.consumers(value)) {
        const node = graph.nodes[i];
        if (region.includes(i) || !isDefaultDomain(node.domain) || !isFormulaOperator(node.opType)) continue;
        if (!node.input.every((input) => known.has(input) || graph.constant(input) !== undefined)) continue;
        region.push(i);
        if (region.length > MAX_NODES) return region;
        for (const output of node.output) known.add(output);
        grown = true;
      }
    }
  }
  return region;
}

/** The values of the region read outside it (or the graph's output), and `x` if something else reads it too. */
function exitValues(graph: GraphIndex, region: readonly number[], x: string): string[] {
  const inside = new Set(region);
  const exits = new Set<string>();
  if (graph.consumers(x).some((i) => !inside.has(i))) exits.add(x);
  for (const i of region) {
    for (const output of graph.nodes[i].output) {
      const readers = graph.consumers(output);
      if (readers.length === 0 || readers.some((r) => !inside.has(r))) exits.add(output);
    }
  }
  return [...exits];
}

/** The region as a function of one number, every constant a scalar. */
function compile(first: NodeReader, region: readonly number[], x: string, result: string): (x: number) => number {
  const graph = first.graph;
  const constants = new Map<string, number>();
  const budget = { used: 0, max: 1 };
  for (const i of region) {
    const reader = first.sibling(i);
    reader.attributes({});
    const arity =
      reader.node.opType === 'Erf' || reader.node.opType === 'Tanh' || reader.node.opType === 'Sqrt' ? 1 : 2;
    reader.expectInputs(arity, arity);
    for (const input of reader.node.input) {
      const constant = graph.constant(input);
      if (!constant || constants.has(input)) continue;
      const problems = { unsupported: (d: string) => reader.unsupported(d), invalid: (d: string) => reader.invalid(d) };
      // One value each: a GELU formula's constants are scalars, and the budget of one refuses anything larger.
      budget.used = 0;
      constants.set(input, readFloat32(constant.tensor, input, budget, problems).values[0]);
    }
  }
  return (value) => {
    const values = new Map<string, number>([[x, value]]);
    const read = (name: string) => values.get(name) ?? constants.get(name) ?? Number.NaN;
    for (const i of region) {
      const node = graph.nodes[i];
      values.set(node.output[0], OPERATORS[node.opType](read(node.input[0]), read(node.input[1] ?? '')));
    }
    return read(result);
  };
}

import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/current.js';
import type { Tensor } from '../tensor.js';

/**
 * Thrown when one op is given tensors placed on two different backends (`Tensor.backend`): an array in one backend's
 * memory is not the other's to use in place, and silently copying it would hide a model or batch left behind. Move one
 * with `tensor.to(backend)` (or the model with `model.to(backend)`).
 */
export class PlacementError extends Error {
  /**
   * @param op - the op that was called
   * @param first - the first backend found among its operands
   * @param second - a different one
   */
  constructor(op: string, first: Backend, second: Backend) {
    super(
      `${op}: operands are placed on two backends, '${first.name}' and '${second.name}'${first.name === second.name ? ' (two instances)' : ''}; move them to one with tensor.to(backend) or model.to(backend)`,
    );
    this.name = 'PlacementError';
  }
}

/**
 * Where an op's operands are placed: the one backend among them, or `undefined` when all are in ordinary memory.
 * Operands may be omitted (an optional output). Fixed arity, so a call allocates no argument array.
 * @throws {@link PlacementError} when two operands are placed on different backends
 * @internal
 */
export function placementOf(
  op: string,
  a: Tensor | undefined,
  b?: Tensor,
  c?: Tensor,
  d?: Tensor,
  e?: Tensor,
  f?: Tensor,
  g?: Tensor,
  h?: Tensor,
): Backend | undefined {
  let found = a?.backend;
  found = join(op, found, b);
  found = join(op, found, c);
  found = join(op, found, d);
  found = join(op, found, e);
  found = join(op, found, f);
  found = join(op, found, g);
  return join(op, found, h);
}

function join(op: string, found: Backend | undefined, t: Tensor | undefined): Backend | undefined {
  const backend = t?.backend;
  if (backend === undefined || backend === found) return found;
  if (found !== undefined) throw new PlacementError(op, found, backend);
  return backend;
}

/** The backend that runs an op placed at `placement`: that backend, or the current one for ordinary memory. @internal */
export function runner(placement: Backend | undefined): Backend {
  return placement ?? getBackend();
}

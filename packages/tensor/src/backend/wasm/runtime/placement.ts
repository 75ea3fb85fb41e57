/**
 * Where one kernel call runs, and what becomes of its operands:
 *
 * - `in-place`: every operand is in the backend's (shared) memory; the call runs there on them, copying nothing;
 * - `staged-shared`: the call is large enough to split over the worker threads, which see only the shared memory; the
 *   operands already there are used in place, the others copied in (and the outputs back out);
 * - `staged`: every operand is copied into the plain memory, the call runs there on the calling thread, and the
 *   outputs are copied back. (Engines copy into a plain memory faster than into a shared one.)
 *
 * The kernels compute the same bits in every placement.
 */
export type Placement = 'in-place' | 'staged-shared' | 'staged';

/**
 * The placement of a call, decided once for every kernel family.
 * @param operandsPlaced - whether every operand is in the backend's memory
 * @param forWorkers - whether the call will be split over the worker threads
 */
export function decidePlacement(operandsPlaced: boolean, forWorkers: boolean): Placement {
  if (operandsPlaced) return 'in-place';
  return forWorkers ? 'staged-shared' : 'staged';
}

import type { Tuning } from '../tuning.js';
import { CONTROL_WORDS, chunked, fieldWords, JOB_LAYOUTS, type JobLayout, WORD } from './job-table.js';

/** What a worker is started with (posted to it, so plain data and shareable objects only). */
export interface WorkerData {
  /** The compiled kernels module. */
  module: object;
  /** The shared memory. */
  memory: object;
  /** The byte offset of this worker's control block. */
  control: number;
  /** What the module imports as `tuning` (see `kernelImports`), the same as the calling thread's instance. */
  tuning: Record<string, number>;
}

/** The expressions that pass a layout's argument words to its kernel, within a chunk at `start` of `count`. */
function argumentList(layout: JobLayout): string {
  const words = fieldWords(layout);
  return layout.fields
    .map(([, kind], i) => {
      const word = words[i];
      if (kind === 'float') return `floats[${word}]`;
      if (kind === 'double') return `double(${word})`;
      if (kind === 'count') return 'count';
      if (kind === 'array') return `words[${word}] + 4 * start`;
      return `words[${word}]`;
    })
    .join(', ');
}

/** The worker's function for one job kind, generated from its layout. */
function jobRunner(layout: JobLayout, chunkElements: number): string {
  if (!chunked(layout)) {
    // The kernel takes the heartbeat's address and beats itself.
    return `${layout.code}: () => kernels.${layout.kernel}(${argumentList(layout)}, progress)`;
  }
  const countAt = fieldWords(layout)[layout.fields.findIndex(([, kind]) => kind === 'count')];
  return `${layout.code}: () => {
      const n = words[${countAt}];
      for (let start = 0; start < n; start += ${chunkElements}) {
        const count = Math.min(${chunkElements}, n - start);
        kernels.${layout.kernel}(${argumentList(layout)});
        Atomics.add(words, ${WORD.PROGRESS}, 1);
      }
    }`;
}

/**
 * The worker's whole program, generated from the job table: it claims each job posted to its control block, runs it
 * with its own instance of the kernels module over the shared memory, and publishes that it is done. It is a string so
 * the package ships no separate file to resolve: Node.js evaluates it (`eval: true`), browsers load it from a Blob URL.
 * `start` receives the {@link WorkerData}.
 * @param tuning - the runtime's tuning (the polling and the chunk size)
 * @param wrapKernels - the source of a function `(kernels, memory) => kernels` applied to the kernel exports before the
 *   loop starts: tests wrap them to make a worker die, hang or pause in the middle of a share
 */
export function workerProgram(tuning: Tuning, wrapKernels = '(kernels) => kernels'): string {
  const { SEQUENCE, DONE, ALIVE, FAILED, CLAIM, KIND, PROGRESS } = WORD;
  return `
'use strict';
const wrapKernels = (${wrapKernels});
function start({ module, memory, control, tuning }) {
  const instance = new WebAssembly.Instance(module, { env: { memory }, tuning });
  const kernels = wrapKernels(instance.exports, memory);
  const words = new Int32Array(memory.buffer, control, ${CONTROL_WORDS});
  const floats = new Float32Array(memory.buffer, control, ${CONTROL_WORDS});
  const progress = control + ${4 * PROGRESS};
  // A float64 argument is two words, read through one buffer's two views (little-endian, as the memory is).
  const pair = new Int32Array(2);
  const pairValue = new Float64Array(pair.buffer);
  const double = (word) => {
    pair[0] = words[word];
    pair[1] = words[word + 1];
    return pairValue[0];
  };
  const jobs = {
    ${JOB_LAYOUTS.map((layout) => jobRunner(layout, tuning.HEARTBEAT_CHUNK_ELEMENTS)).join(',\n    ')}
  };
  Atomics.store(words, ${ALIVE}, 1);
  let seen = 0;
  for (;;) {
    // Poll for a while before sleeping: a training step posts products a fraction of a millisecond apart, and waking
    // from Atomics.wait costs more than a small product.
    const until = performance.now() + ${tuning.WORKER_SPIN_MS};
    while (Atomics.load(words, ${SEQUENCE}) === seen) {
      let spin = 0;
      while (spin < ${tuning.SPIN_CHECKS} && Atomics.load(words, ${SEQUENCE}) === seen) spin++;
      if (performance.now() > until) {
        Atomics.wait(words, ${SEQUENCE}, seen);
        break;
      }
    }
    const sequence = Atomics.load(words, ${SEQUENCE});
    if (sequence < 0) return;
    if (sequence === seen) continue;
    seen = sequence;
    // Claim the job; if the caller got there first (this worker was too slow), it is the caller's now.
    if (Atomics.compareExchange(words, ${CLAIM}, sequence - 1, sequence) !== sequence - 1) continue;
    try {
      jobs[words[${KIND}]]();
    } catch {
      Atomics.store(words, ${FAILED}, 1);
    }
    Atomics.store(words, ${DONE}, sequence);
    Atomics.notify(words, ${DONE});
  }
}
if (typeof require === 'function') {
  const { workerData } = require('node:worker_threads');
  start(workerData);
} else {
  self.onmessage = (event) => start(event.data);
}
`;
}

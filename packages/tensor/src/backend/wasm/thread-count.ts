import { MAX_THREADS } from './runtime/runtime.js';
import { threadsSupported } from './runtime/worker-threads.js';
import { DEFAULT_MAX_THREADS } from './tuning.js';

/**
 * The number of threads the default backend uses: the logical CPUs (at most 4) where worker threads with shared
 * memory exist, else 1. The environment variable `MNIST_THREADS` (1 to 8) overrides it in Node.js (and where worker
 * threads are missing, the default backend's `fallbackReason` says that it runs on 1).
 * @throws RangeError when `MNIST_THREADS` is set to anything else
 */
export function defaultThreadCount(): number {
  const requested = environmentThreadCount();
  if (!threadsSupported()) return 1;
  return requested ?? Math.max(1, Math.min(DEFAULT_MAX_THREADS, logicalCpus()));
}

/**
 * `MNIST_THREADS`, when set: a count asked for, which the default backend passes on even where worker threads are
 * missing, so that its `fallbackReason` says it runs on fewer. @internal
 * @throws RangeError when it is set to anything but an integer from 1 to 8
 */
export function environmentThreadCount(): number | undefined {
  const variable = environment('MNIST_THREADS');
  if (variable === undefined || variable === '') return undefined;
  const count = Number(variable);
  if (!Number.isInteger(count) || count < 1 || count > MAX_THREADS) {
    throw new RangeError(`MNIST_THREADS: expected an integer from 1 to ${MAX_THREADS}, found '${variable}'`);
  }
  return count;
}

function environment(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function logicalCpus(): number {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const os = typeof getBuiltin === 'function' ? (getBuiltin('node:os') as { availableParallelism?: () => number }) : {};
  if (typeof os?.availableParallelism === 'function') return os.availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

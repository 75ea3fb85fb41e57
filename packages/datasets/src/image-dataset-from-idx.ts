import { IdxFormatError } from './idx-format-error.js';
import { ImageDataset } from './image-dataset.js';
import type { IdxData } from './parse-idx.js';

/** Options of {@link imageDatasetFromIdx}. */
export interface ImageDatasetFromIdxOptions {
  /** The images file's name, for error messages. Default `'images'`. */
  imagesName?: string;
  /** The labels file's name, for error messages. Default `'labels'`. */
  labelsName?: string;
  /** The number of classes; every label must be below it. Default 10 (digits); 47 for EMNIST Balanced, … */
  classCount?: number;
  /** The image height the files must have. Default: whatever they hold. */
  height?: number;
  /** The image width the files must have. Default: whatever they hold. */
  width?: number;
}

/**
 * Pairs an images IDX file (`uint8`, `[n, height, width]`) with a labels IDX file (`uint8`, `[n]`) as an
 * {@link ImageDataset}, the layout of MNIST, Fashion-MNIST, KMNIST and EMNIST. Checks the types, the ranks, that the
 * counts agree, the image size when `height`/`width` are given, and that every label is below `classCount`. The bytes
 * are not copied.
 *
 * @throws {@link IdxFormatError} naming the file at fault, what was expected and what was found
 * @example
 * ```ts
 * declare const imageBytes: Uint8Array; // t10k-images-idx3-ubyte, raw or gzipped, fetched by a page for one
 * declare const labelBytes: Uint8Array; // t10k-labels-idx1-ubyte
 *
 * const test = imageDatasetFromIdx(await decodeIdx(imageBytes), await decodeIdx(labelBytes), { height: 28, width: 28 });
 * ```
 */
export function imageDatasetFromIdx(
  images: IdxData,
  labels: IdxData,
  options: ImageDatasetFromIdxOptions = {},
): ImageDataset {
  const imagesName = options.imagesName ?? 'images';
  const labelsName = options.labelsName ?? 'labels';
  const classCount = options.classCount ?? 10;
  if (!Number.isInteger(classCount) || classCount < 1 || classCount > 256) {
    throw new RangeError(`imageDatasetFromIdx: classCount must be an integer in [1, 256], found ${classCount}`);
  }
  if (images.type !== 'uint8') throw new IdxFormatError(imagesName, 'unsigned-byte pixels (type 0x08)', images.type);
  if (images.dims.length !== 3) {
    throw new IdxFormatError(imagesName, '3 dimensions [count, height, width]', `[${images.dims.join(', ')}]`);
  }
  if (labels.type !== 'uint8') throw new IdxFormatError(labelsName, 'unsigned-byte labels (type 0x08)', labels.type);
  if (labels.dims.length !== 1) {
    throw new IdxFormatError(labelsName, '1 dimension [count]', `[${labels.dims.join(', ')}]`);
  }
  const [count, height, width] = images.dims;
  if (
    (options.height !== undefined && height !== options.height) ||
    (options.width !== undefined && width !== options.width)
  ) {
    throw new IdxFormatError(
      imagesName,
      `${options.height ?? height}×${options.width ?? width} images`,
      `${height}×${width}`,
    );
  }
  if (height === 0 || width === 0)
    throw new IdxFormatError(imagesName, 'images of at least 1×1 pixel', `${height}×${width}`);
  if (labels.dims[0] !== count) {
    throw new IdxFormatError(labelsName, `${count} labels, one per image in ${imagesName}`, `${labels.dims[0]}`);
  }
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= classCount) {
      throw new IdxFormatError(
        labelsName,
        `labels in 0…${classCount - 1} (classCount ${classCount})`,
        `${data[i]} at index ${i}`,
      );
    }
  }
  return new ImageDataset({ images: images.data, labels: data, height, width, classCount });
}

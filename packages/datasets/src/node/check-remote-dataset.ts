import type { RemoteDataset, RemoteFile } from './dataset-files.js';

/**
 * Checks a whole {@link RemoteDataset} (with the mirrors actually used) before anything touches the network or the
 * disk, so that a bad entry late in the list cannot fail a download halfway through, and no name or path can reach
 * outside the cache directory or the mirror:
 *
 * - the dataset's name and each file's name are plain names (no path separator, not empty, not starting with `.`),
 *   because they become a directory and file names;
 * - each path is relative (no scheme, no leading `/` or `//`, no `\`, no empty, `.` or `..` segment, even
 *   percent-encoded), because its URL is the mirror's base URL followed by the path;
 * - each mirror is an `http:` or `https:` URL, and each sha256 has 64 hex digits.
 *
 * @throws RangeError naming the entry and what is wrong with it
 * @internal
 */
export function checkRemoteDataset(dataset: RemoteDataset, mirrors: readonly string[]): void {
  checkPlainName('the dataset name', dataset.name);
  if (mirrors.length === 0) throw new RangeError('downloadDataset: expected at least one mirror, found none');
  for (const mirror of mirrors) mirrorBase(mirror);
  const names = new Set<string>();
  for (const file of dataset.files) {
    checkPlainName('a file name', file.name);
    if (names.has(file.name))
      throw new RangeError(`downloadDataset: expected distinct file names, found ${file.name} twice`);
    names.add(file.name);
    if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(file.sha256)) {
      throw new RangeError(`downloadDataset: ${file.name} needs a sha256 of 64 hex digits, found ${file.sha256}`);
    }
    checkRelativePath(file);
  }
}

/**
 * The URL of `path` on `mirror`: the mirror's base URL (with a `/` added) followed by the path, checked to stay
 * under the base. @internal
 */
export function fileUrl(mirror: string, path: string): string {
  const base = mirrorBase(mirror);
  const url = new URL(base + path).href;
  // checkRelativePath already rules out every way out; this keeps the promise even if a new one turns up.
  if (!url.startsWith(base)) {
    throw new RangeError(`downloadDataset: expected ${path} to stay under ${base}, found ${url}`);
  }
  return url;
}

/** The mirror as a normalised base URL ending in `/`. */
function mirrorBase(mirror: string): string {
  let url: URL;
  try {
    url = new URL(mirror);
  } catch {
    throw new RangeError(`downloadDataset: a mirror must be an http: or https: URL, found ${mirror}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`downloadDataset: a mirror must be an http: or https: URL, found ${mirror}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new RangeError(`downloadDataset: a mirror must be a base URL without ? or #, found ${mirror}`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function checkPlainName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) {
    throw new RangeError(
      `downloadDataset: ${what} must be a plain name (not empty, no / or \\, not starting with .), found ${JSON.stringify(name)}`,
    );
  }
}

function checkRelativePath(file: RemoteFile): void {
  const { path } = file;
  if (typeof path !== 'string' || path === '') throw badPath(file, 'empty');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw badPath(file, 'a URL with a scheme');
  if (path.startsWith('/')) throw badPath(file, path.startsWith('//') ? 'protocol-relative' : 'absolute');
  if (path.includes('\\')) throw badPath(file, 'a backslash');
  // URLs resolve `%2e%2e` like `..`, so segments are compared decoded.
  for (const segment of path.split(/[?#]/, 1)[0].split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badPath(file, 'malformed percent-encoding');
    }
    if (segment === '' || decoded === '.' || decoded === '..') throw badPath(file, 'an empty, . or .. segment');
  }
}

function badPath(file: RemoteFile, why: string): RangeError {
  return new RangeError(
    `downloadDataset: ${file.name} needs a path relative to the mirror, found ${JSON.stringify(file.path)} (${why})`,
  );
}

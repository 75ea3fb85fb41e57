/** A file the page needed could not be fetched: the URL and the HTTP status or network error say why. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
}

/** Bytes received so far, and the total when the server announced it. */
export type FetchProgress = (loaded: number, total: number | undefined) => void;

/**
 * Fetches a file as bytes, reporting progress as they arrive (the training images are about 10 MB).
 * @throws {@link FetchError} on a network failure or a status other than 2xx
 */
export async function fetchBytes(url: string, onProgress?: FetchProgress): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new FetchError(`could not fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new FetchError(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  const length = Number(response.headers.get('Content-Length'));
  // A Content-Length describes the bytes on the wire: with a Content-Encoding of the host's own, not what we read.
  const total =
    Number.isSafeInteger(length) && length > 0 && !response.headers.has('Content-Encoding') ? length : undefined;
  if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

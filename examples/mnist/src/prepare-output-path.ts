import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';
import { asCliError, systemErrorReason } from './describe-user-error.js';

/**
 * Makes sure a model can be saved at `path` before any training starts, so a bad `--out` fails in the first second
 * rather than after the run: the path is not a directory, its directory exists (missing ones are created) and a file
 * can be created in it. `export` checks its `--onnx` the same way.
 *
 * @param typed - `--out` as the user typed it
 * @param path - `--out` resolved from the user's directory
 * @param suggestion - a file name to suggest when `--out` names a directory
 * @param flag - the flag that named the file, for the messages
 * @throws {@link CliError} naming the flag, the offending path and the reason
 */
export async function prepareOutputPath(
  typed: string,
  path: string,
  suggestion: string,
  flag = '--out',
): Promise<void> {
  // `resolve` drops a trailing separator, so the user's text is the only place left to see it.
  if (/[\\/]$/.test(typed)) {
    throw new CliError(`${flag}: ${typed} names a directory; give a file name, such as ${join(typed, suggestion)}`);
  }
  const info = await stat(path).catch((error: unknown) => {
    if (!isMissing(error)) throw asCliError(error, { flag, path });
  });
  if (info?.isDirectory()) {
    throw new CliError(`${flag}: ${path} is a directory; give a file name, such as ${join(path, suggestion)}`);
  }
  if (info !== undefined && !info.isFile()) throw new CliError(`${flag}: ${path} exists and is not a regular file`);
  const directory = dirname(path);
  await createDirectory(directory, flag);
  await probeWritable(directory, basename(path), flag);
}

/**
 * Creates `directory` and its missing parents one level at a time. (Node's `mkdir(…, { recursive: true })` is not
 * used: on Linux it spins forever on a path under `/proc`, where `mkdir` fails with ENOENT under an existing parent.)
 */
async function createDirectory(directory: string, flag: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = directory; ; dir = dirname(dir)) {
    const info = await stat(dir).catch((error: unknown) => {
      if (!isMissing(error)) throw asCliError(error, { flag, path: dir });
    });
    if (info === undefined && dirname(dir) !== dir) {
      missing.push(dir);
      continue;
    }
    if (info !== undefined && !info.isDirectory()) throw new CliError(`${flag}: ${dir} is not a directory`);
    break;
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((error: unknown) => {
      // Another process may have created it meanwhile; anything else is a reason to stop.
      if ((error as { code?: unknown }).code === 'EEXIST') return;
      throw new CliError(`${flag}: cannot create the directory ${dir}: ${systemErrorReason(error) ?? error}`, {
        cause: error,
      });
    });
  }
}

/** Creates and removes a file beside the model's, the one test of writability that permission bits cannot fool. */
async function probeWritable(directory: string, name: string, flag: string): Promise<void> {
  const probe = join(directory, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.probe`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw new CliError(`${flag}: cannot write to ${directory}: ${systemErrorReason(error) ?? error}`, { cause: error });
  }
  await rm(probe, { force: true });
}

/** Whether a `stat` failed because the path, or a part of it, does not exist as a directory. */
function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

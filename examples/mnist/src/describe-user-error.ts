import { IdxFormatError } from '@mnist/datasets';
import { DatasetNotFoundError } from '@mnist/datasets/node';
import { ModelFormatError, NonFiniteLossError } from '@mnist/nn';
import { ModelFileError } from '@mnist/nn/node';
import { OnnxError, OnnxExportError } from '@mnist/onnx';
import { CliError } from './cli-error.js';

/** What a system error code means, in a few words (after the C library's `strerror`). */
const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'device or resource busy',
  EIO: 'input/output error',
};

/** The fields Node.js gives the errors of `fs` and other system calls. */
interface SystemError extends Error {
  code: string;
  syscall: string;
  path?: string;
}

/** Where a user's input came from: the flag, and the file it named (resolved), when it named one. */
export interface InputSource {
  /**
   * The flag as typed, with its value when that says more than the file: `--idx`, `--learning-rate 1000000`.
   * `undefined` for an input the user did not name, such as the default dataset.
   */
  flag: string | undefined;
  /** The file or directory the flag named, for errors that do not carry their path (reading a directory). */
  path?: string;
}

/**
 * One line for an error the user can cause and fix: a corrupt or missing file, a model that is not valid (in this
 * library's format or as ONNX), a model ONNX cannot hold, a run whose loss diverged, a file the system refuses. Returns `undefined` for anything else, which is a bug. Errors are told
 * apart by their class (and, for system errors, their `code`), never by their message.
 *
 * @param error - what was thrown
 * @param path - the file the operation was about, for system errors that do not name it
 */
export function describeUserError(error: unknown, path?: string): string | undefined {
  if (error instanceof CliError) return error.message;
  if (error instanceof IdxFormatError || error instanceof DatasetNotFoundError) return error.message;
  if (error instanceof ModelFileError) return error.message;
  if (error instanceof ModelFormatError) {
    // An error from `loadModelFile` names its file; one from `loadModel` does not, and the caller's path does.
    const file = error.file ?? path;
    const detail = error.file === undefined ? error.message : `${error.path}: ${error.detail}`;
    return file === undefined ? `not a valid model: ${detail}` : `${file} is not a valid model: ${detail}`;
  }
  if (error instanceof OnnxExportError) {
    return path === undefined
      ? `cannot be written as ONNX: ${error.message}`
      : `${path} cannot be written as ONNX: ${error.message}`;
  }
  if (error instanceof OnnxError) {
    // An error about the file itself names it; one about its contents does not, and the caller's path does.
    return error.file !== undefined || path === undefined ? error.message : `${path}: ${error.message}`;
  }
  if (error instanceof NonFiniteLossError) {
    const where = error.epoch === undefined ? '' : ` at epoch ${error.epoch + 1}, batch ${(error.batch ?? 0) + 1}`;
    return `training diverged: the loss became ${error.value}${where}; try a lower learning rate`;
  }
  const reason = systemErrorReason(error);
  if (reason !== undefined) {
    const subject = (error as SystemError).path ?? path;
    return subject === undefined ? reason : `${subject}: ${reason}`;
  }
  return undefined;
}

/**
 * Why a system call failed, as a few words (`permission denied`), for an error of Node.js's `fs` and other system
 * calls (recognised by their `code` and `syscall`); `undefined` for any other error.
 */
export function systemErrorReason(error: unknown): string | undefined {
  if (!isSystemError(error)) return undefined;
  return SYSTEM_ERRORS[error.code] ?? `${error.code} from ${error.syscall}`;
}

/**
 * The error to throw for something that went wrong with a user's input: a {@link CliError} that starts with the flag
 * (`--idx: /data/x.idx: no such file or directory`) and keeps the original as its `cause`, or, for a bug, the error
 * itself, so that it keeps its stack trace.
 */
export function asCliError(error: unknown, source: InputSource): unknown {
  if (error instanceof CliError) return error;
  const description = describeUserError(error, source.path);
  if (description === undefined) return error;
  return new CliError(source.flag === undefined ? description : `${source.flag}: ${description}`, { cause: error });
}

function isSystemError(error: unknown): error is SystemError {
  return (
    error instanceof Error &&
    typeof (error as Partial<SystemError>).code === 'string' &&
    typeof (error as Partial<SystemError>).syscall === 'string'
  );
}

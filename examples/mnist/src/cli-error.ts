/** A problem with the command line: printed as a message with a hint, never as a stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

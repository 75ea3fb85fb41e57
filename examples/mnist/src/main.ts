// `pnpm mnist`: the command line of the MNIST example. A mistake the user can fix prints as one line with exit code 2
// (`--verbose` adds the stack traces); anything else is a bug, printed with its stack trace, exit code 1.
import { exportCommand } from './export-command.js';
import { processIo } from './io.js';
import { HELP, parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';
import { replicateCommand } from './replicate-command.js';
import { reportError } from './report-error.js';
import { trainCommand } from './train-command.js';

async function main(argv: readonly string[]): Promise<number> {
  const io = processIo();
  const options = parseOptions(argv);
  switch (options.command) {
    case 'help':
      io.write(HELP);
      return 0;
    case 'train':
      await trainCommand(options, io);
      return 0;
    case 'predict':
      await predictCommand(options, io);
      return 0;
    case 'replicate':
      await replicateCommand(options, io);
      return 0;
    case 'export':
      await exportCommand(options, io);
      return 0;
  }
}

// `pnpm mnist predict | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Read from argv itself: the error may be that the other options did not parse.
    const { text, exitCode } = reportError(error, { verbose: argv.includes('--verbose') });
    process.stderr.write(text);
    process.exitCode = exitCode;
  },
);

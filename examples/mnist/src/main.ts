// `pnpm mnist`: the command line of the MNIST example. Errors the user can fix print as one line, with exit code 2.
import { CliError } from './cli-error.js';
import { exportCommand } from './export-command.js';
import { processIo } from './io.js';
import { HELP, parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';
import { replicateCommand } from './replicate-command.js';
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`mnist: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`mnist: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);

// unexport: removes an environment variable for the rest of the chain.
import { defineCommand } from '../command/command.js';
import { EXIT_USAGE, fatal, usage } from '../command/errors.js';

export const unexport = defineCommand({
  names: ['unexport'],
  prog: 'unexport',
  usage: 'unexport variable prog...',
  run(ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    if (argv[1].includes('=')) fatal(this.prog, EXIT_USAGE, `invalid variable name: ${argv[1]}`);
    ctx.unsetEnv(argv[1]);
    return argv.slice(2);
  },
});

// export: sets an environment variable for the rest of the chain.
import { defineCommand } from '../command/command.js';
import { EXIT_USAGE, fatal, usage } from '../command/errors.js';

export const exportCmd = defineCommand({
  names: ['export'],
  prog: 'export',
  usage: 'export variable value prog...',
  run(ctx, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    if (argv[1].includes('=')) fatal(this.prog, EXIT_USAGE, `invalid variable name: ${argv[1]}`);
    ctx.setEnv(argv[1], argv[2]);
    return argv.slice(3);
  },
});

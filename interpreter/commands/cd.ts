// cd (execline-cd): changes the working directory, then runs the rest.
import { defineCommand } from '../command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../command/errors.js';

export const cd = defineCommand({
  names: ['cd', 'execline-cd'],
  prog: 'execline-cd',
  usage: 'cd path prog...',
  run(ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    try {
      ctx.chdir(argv[1]);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, `chdir to ${argv[1]}`, e);
    }
    return argv.slice(2);
  },
});

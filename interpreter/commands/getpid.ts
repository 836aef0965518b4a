// getpid: stores the pid of the process (or of its parent, -P) in a variable, or substitutes it
// into the command line (-E).
import { defineCommand, options, requireVariable } from '../command/command.js';
import { usage } from '../command/errors.js';

export const getpid = defineCommand({
  names: ['getpid'],
  prog: 'getpid',
  usage: 'getpid [ -E | -e ] [ -P | -p ] variable prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'EePp');
    let doImport = false;
    let parent = false;
    for (const o of opts) {
      if (o.key === 'E') doImport = true;
      else if (o.key === 'e') doImport = false;
      else parent = o.key === 'P';
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const name = argv[index];
    requireVariable(this.prog, name);
    // A block's own pid only exists once a process is made from it.
    if (!parent) {
      const real = ctx.realProcess(argv);
      if (real) return real;
    }
    ctx.setEnv(name, String(parent ? ctx.ppid() : ctx.pid()));
    const rest = argv.slice(index + 1);
    return doImport ? ['importas', '-ui', name, name, ...rest] : rest;
  },
});

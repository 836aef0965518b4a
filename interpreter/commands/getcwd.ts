// getcwd: stores the absolute, resolved working directory in a variable, or substitutes it into
// the command line (-E).
import { realpathSync } from 'node:fs';
import { defineCommand, options, requireVariable } from '../command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../command/errors.js';
import { fromBuffer } from '../language/bytes.js';

export const getcwd = defineCommand({
  names: ['getcwd'],
  prog: 'getcwd',
  usage: 'getcwd [ -E | -e ] variable prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'Ee');
    let doImport = false;
    for (const o of opts) doImport = o.key === 'E';
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const name = argv[index];
    requireVariable(this.prog, name);
    let cwd: string;
    try {
      cwd = fromBuffer(realpathSync.native('.', { encoding: 'buffer' }));
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'getcwd', e);
    }
    ctx.setEnv(name, cwd);
    const rest = argv.slice(index + 1);
    return doImport ? ['importas', '-ui', name, name, ...rest] : rest;
  },
});

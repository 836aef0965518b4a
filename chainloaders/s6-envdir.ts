// s6-envdir: sets (or unsets) one variable per file of a directory, then goes on.
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { readEnvdir, type EnvChange } from '../interpreter/toolkit/envdir.js';

export const s6envdir = defineCommand({
  names: ['s6-envdir'],
  prog: 's6-envdir',
  usage: 's6-envdir [ -I | -i ] [ -n ] [ -f ] [ -L ] [ -c nullchar ] dir prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'IinfLc:');
    let insist = true;
    const o = { verbatim: false, noChomp: false, noClamp: false, nullis: '\n' };
    for (const x of opts) {
      switch (x.key) {
        case 'I':
          insist = false;
          break;
        case 'i':
          insist = true;
          break;
        case 'n':
          o.noChomp = true;
          break;
        case 'f':
          o.verbatim = true;
          break;
        case 'L':
          o.noClamp = true;
          break;
        case 'c':
          o.nullis = x.arg === '' ? '\0' : x.arg[0];
          break;
      }
    }
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const dir = argv[index];
    let changes: EnvChange[] = [];
    try {
      changes = readEnvdir(dir, o);
    } catch (e) {
      if (insist || (e as NodeJS.ErrnoException).code !== 'ENOENT') fatalSys(this.prog, EXIT_SYS, `envdir ${dir}`, e);
    }
    ctx.mergeEnv(changes);
    return argv.slice(index + 1);
  },
});

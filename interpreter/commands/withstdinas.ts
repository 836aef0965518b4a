// withstdinas: reads its whole stdin into a variable and goes on; -i/-I/-D say what to do when
// the input holds a NUL byte, -N keeps a final newline.
import { defineCommand, options, requireVariable } from '../command/command.js';
import { EXIT_SYS, fatal, fatalSys, usage, warn } from '../command/errors.js';
import { fromBuffer } from '../language/bytes.js';
import { readAll } from '../toolkit/io.js';
import { continueWith } from '../command/child.js';

export const withstdinas = defineCommand({
  names: ['withstdinas'],
  prog: 'withstdinas',
  usage: 'withstdinas [ -i | -I | -D default ] [ -N | -n ] [ -E | -e ] var remainder...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'iINnD:Ee');
    let insist = 0;
    let def: string | null = null;
    let chomp = true;
    let doimport = false;
    for (const o of opts) {
      if (o.key === 'i') insist = 2;
      else if (o.key === 'I') insist = 1;
      else if (o.key === 'N' || o.key === 'n') chomp = o.key === 'n';
      else if (o.key === 'D') def = o.arg;
      else doimport = o.key === 'E';
    }
    if (argv.length - index < 1) usage(this.prog, this.usage);
    const variable = argv[index];
    requireVariable(this.prog, variable);
    let input: string;
    try {
      input = fromBuffer(readAll(ctx.realFd(0)));
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'slurp', e);
    }
    let value: string | null = input;
    const z = input.indexOf('\0');
    if (z >= 0) {
      if (insist >= 2) fatal(this.prog, 1, 'stdin contained a null character');
      if (insist) value = null;
      else if (def !== null) {
        value = def;
        warn(this.prog, 'stdin contained a null character - using default instead');
      } else value = input.slice(0, z);
    } else if (chomp && input.endsWith('\n')) value = input.slice(0, -1);
    const rest = continueWith(argv.slice(index + 1));
    if (value === null) ctx.mergeEnv([[variable, null]]);
    else ctx.setEnv(variable, value);
    return doimport ? ['importas', '-ui', variable, variable, ...rest] : rest;
  },
});

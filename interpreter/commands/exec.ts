// exec: goes on with the rest of the line, optionally with an empty environment (-c) and another
// argv[0] (-a, and -l for a login dash) for the program.
import { defineCommand, options } from '../command/command.js';
import { usage } from '../command/errors.js';

export const exec = defineCommand({
  names: ['exec'],
  prog: 'exec',
  usage: 'exec [ -c ] [ -l ] [ -a argv0 ] prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'cla:');
    let clear = false;
    let dash = false;
    let argv0: string | null = null;
    for (const o of opts) {
      if (o.key === 'c') clear = true;
      else if (o.key === 'l') dash = true;
      else argv0 = o.arg;
    }
    const rest = argv.slice(index);
    if (rest.length === 0) usage(this.prog, this.usage);
    let name = argv0 ?? rest[0];
    if (dash) name = '-' + name;
    if (!ctx.isOurs(rest[0]) && clear) {
      // The program is looked up in the PATH exec itself had, not in the emptied environment.
      rest[0] = ctx.findExecutable(rest[0]);
    }
    if (clear) ctx.clearEnv();
    ctx.setArgv0(argv0 !== null || dash || rest[0] !== argv[index] ? name : null);
    return rest;
  },
});

// dollarat: prints the positional parameters, one per line (or with another delimiter, or as
// netstrings), and exits.
import { defineCommand, options } from '../command/command.js';
import { Exit, writeStdout } from '../command/errors.js';
import { positional, sharpOf } from '../command/positionals.js';

export const dollarat = defineCommand({
  names: ['dollarat'],
  prog: 'dollarat',
  usage: 'dollarat [ -n ] [ -0 | -d delimchar ]',
  run(ctx, argv) {
    const { opts } = options(this, argv, 'nd:0');
    let delim: string | null = '\n';
    let zero = false;
    let chomp = false;
    for (const o of opts) {
      if (o.key === 'n') chomp = true;
      else if (o.key === 'd') {
        delim = o.arg === '' ? null : o.arg[0];
        zero = false;
      } else zero = true;
    }
    if (zero) delim = '\0';
    const n = sharpOf(ctx, this.prog);
    let out = '';
    for (let i = 1; i <= n; i++) {
      const x = positional(ctx, this.prog, i);
      if (delim === null) out += `${x.length}:${x},`;
      else out += x + (i < n || !chomp ? delim : '');
    }
    if (out.length) {
      writeStdout(this.prog, ctx.realFd(1), out);
    }
    throw new Exit(0);
  },
});

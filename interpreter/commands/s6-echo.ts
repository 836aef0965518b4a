// s6-echo: writes its arguments, separated by one character (a space by default), and a newline.
import { defineCommand, options } from '../command/command.js';
import { Exit, writeStdout } from '../command/errors.js';

export const s6Echo = defineCommand({
  names: ['s6-echo'],
  prog: 's6-echo',
  usage: 's6-echo [ -n ] [ -s sep ] args...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'ns:');
    let sep = ' ';
    let newline = true;
    for (const o of opts) {
      if (o.key === 'n') newline = false;
      else sep = o.arg === '' ? '\0' : o.arg[0];
    }
    const text = argv.slice(index).join(sep) + (newline ? '\n' : '');
    // Like the flush of an empty buffer, writing nothing cannot fail.
    if (text !== '') {
      writeStdout(this.prog, ctx.realFd(1), text);
    }
    throw new Exit(0);
  },
});

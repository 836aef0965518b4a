// umask (execline-umask): sets the file creation mask (octal), then runs the rest.
import { defineCommand } from '../command/command.js';
import { usage } from '../command/errors.js';
import { uintOscan } from '../toolkit/numbers.js';

export const umask = defineCommand({
  names: ['umask', 'execline-umask'],
  prog: 'execline-umask',
  usage: 'umask value prog...',
  run(ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    const m = uintOscan(argv[1]);
    if (m === null) usage(this.prog, this.usage);
    ctx.setUmask(m);
    return argv.slice(2);
  },
});

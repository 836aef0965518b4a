// fdreserve: finds N fds that are free in the program's table and exports them as FD0..FDn-1.
import { defineCommand } from '../interpreter/command/command.js';
import { EXIT_SYS, EXIT_USAGE, fatal, fatalSys, usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const fdreserve = defineCommand({
  names: ['fdreserve'],
  prog: 'fdreserve',
  usage: 'fdreserve n prog...',
  run(ctx, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    const n = uint0Scan(argv[1]);
    if (n === null) usage(this.prog, this.usage);
    if (n > ctx.nofileLimit()) fatal(this.prog, EXIT_USAGE, 'too many requested fds');
    const free = ctx.lowestFree(n);
    // The reference opens them (pipes): one at or above the open-files limit is EMFILE.
    if (n > 0 && free[n - 1] >= ctx.nofileLimit()) fatalSys(this.prog, EXIT_SYS, 'reserve fds', 'EMFILE');
    // The reference takes pairs from pipe() and the odd one last; it exports the odd one first.
    if (n & 1) ctx.setEnv(`FD${n - 1}`, String(free[n - 1]));
    for (let i = 0; i < n - (n & 1); i++) ctx.setEnv(`FD${i}`, String(free[i]));
    return argv.slice(2);
  },
});

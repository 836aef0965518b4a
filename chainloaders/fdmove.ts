// fdmove: makes fd `to` of the program what fd `from` is now; without -c, `from` is closed.
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const fdmove = defineCommand({
  names: ['fdmove'],
  prog: 'fdmove',
  usage: 'fdmove [ -c ] to from prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'c');
    const copy = opts.length > 0;
    if (argv.length - index < 3) usage(this.prog, this.usage);
    const to = uint0Scan(argv[index]);
    const from = uint0Scan(argv[index + 1]);
    if (to === null || from === null) usage(this.prog, this.usage);
    // fd_copy refuses to copy an fd onto itself (a move onto itself is nothing to do).
    if (to === from && copy) fatalSys(this.prog, EXIT_SYS, `move fd ${argv[index + 1]} to fd ${argv[index]}`, 'EINVAL');
    if (to !== from) {
      if (!ctx.isOpen(from) || !ctx.validTarget(to)) {
        fatalSys(this.prog, EXIT_SYS, `move fd ${argv[index + 1]} to fd ${argv[index]}`, 'EBADF');
      }
      ctx.setFd(to, ctx.realFd(from));
      if (!copy) ctx.setFd(from, null);
    }
    return argv.slice(index + 2);
  },
});

// fdswap: exchanges two fds of the program.
import { defineCommand } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const fdswap = defineCommand({
  names: ['fdswap'],
  prog: 'fdswap',
  usage: 'fdswap fd1 fd2 prog...',
  run(ctx, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    const a = uint0Scan(argv[1]);
    const b = uint0Scan(argv[2]);
    if (a === null || b === null) usage(this.prog, this.usage);
    if (a !== b) {
      // skalibs' fd_swap: dup(a) lands on the lowest free fd, then dup2(b, a), then dup2(dup, b). A
      // closed b is EBADF, unless b is where the dup landed: then it is open for dup2(b, a), and
      // the last move, onto itself, is EINVAL.
      if (!ctx.isOpen(a)) fatalSys(this.prog, EXIT_SYS, 'swap fds', 'EBADF');
      if (!ctx.isOpen(b)) fatalSys(this.prog, EXIT_SYS, 'swap fds', b === ctx.lowestFree(1)[0] ? 'EINVAL' : 'EBADF');
      ctx.swapFds(a, b);
    }
    return argv.slice(3);
  },
});

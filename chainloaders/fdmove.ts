// fdmove: makes fd `to` of the program what fd `from` is now; without -c, `from` is closed.
import { defineCommand, options } from '../interpreter/command/command.js';
import { fatal, strerror, usage } from '../interpreter/command/errors.js';
import { realFd, setFd } from '../interpreter/runtime/state.js';
import { scanWhole } from '../interpreter/toolkit/numbers.js';
import { isOpen, validTarget } from '../interpreter/toolkit/fds.js';

export const fdmove = defineCommand({
  names: ['fdmove'],
  prog: 'fdmove',
  usage: 'fdmove [ -c ] to from prog...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'c');
    const copy = opts.length > 0;
    if (argv.length - index < 3) usage(this.prog, this.usage);
    const to = scanWhole(argv[index]);
    const from = scanWhole(argv[index + 1]);
    if (to === null || from === null) usage(this.prog, this.usage);
    // fd_copy refuses to copy an fd onto itself (a move onto itself is nothing to do).
    if (to === from && copy) fatal(this.prog, 111, 'unable to move fd ', argv[index + 1], ' to fd ', argv[index], ': ', strerror({ code: 'EINVAL' }));
    if (to !== from) {
      if (!isOpen(st, from) || !validTarget(st, to)) {
        fatal(this.prog, 111, 'unable to move fd ', argv[index + 1], ' to fd ', argv[index], ': ', strerror({ code: 'EBADF' }));
      }
      setFd(st, to, realFd(st, from));
      if (!copy) setFd(st, from, null);
    }
    return argv.slice(index + 2);
  },
});

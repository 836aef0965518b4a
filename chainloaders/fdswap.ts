// fdswap: exchanges two fds of the program.
import { defineCommand } from '../interpreter/command.js';
import { fatal, strerror, usage } from '../interpreter/errors.js';
import { realFd } from '../interpreter/state.js';
import { scanWhole } from './lib/numbers.js';
import { isOpen } from './lib/fds.js';

export const fdswap = defineCommand({
  names: ['fdswap'],
  prog: 'fdswap',
  usage: 'fdswap fd1 fd2 prog...',
  run(st, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    const a = scanWhole(argv[1]);
    const b = scanWhole(argv[2]);
    if (a === null || b === null) usage(this.prog, this.usage);
    if (a !== b) {
      if (!isOpen(st, a) || !isOpen(st, b)) fatal(this.prog, 111, 'unable to swap fds: ', strerror({ code: 'EBADF' }));
      const ra = realFd(st, a);
      st.fds.set(a, realFd(st, b));
      st.fds.set(b, ra);
    }
    return argv.slice(3);
  },
});

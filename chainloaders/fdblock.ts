// fdblock: clears (or with -n sets) O_NONBLOCK on fd N. The flag belongs to the open file
// description, which the program shares with this process, so it is set now, as the reference does.
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const fdblock = defineCommand({
  names: ['fdblock'],
  prog: 'fdblock',
  usage: 'fdblock [ -n ] fd prog...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'n');
    const nonblock = opts.length > 0;
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const fd = uint0Scan(argv[index]);
    if (fd === null) usage(this.prog, this.usage);
    const what = nonblock ? 'ndelay_on' : 'ndelay_off';
    if (!ctx.isOpen(fd)) fatalSys(this.prog, EXIT_SYS, what, 'EBADF');
    try {
      const sys = await import('../interpreter/platform/index.js');
      sys.setNonblock(ctx.realFd(fd), nonblock);
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, what, e);
    }
    return argv.slice(index + 1);
  },
});

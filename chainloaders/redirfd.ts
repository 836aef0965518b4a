// redirfd: opens a file and makes it fd N of the program (the table is applied at exec time).
import { closeSync, constants as fsc, openSync } from 'node:fs';
import { defineCommand, options } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { toBuffer } from '../interpreter/language/bytes.js';
import { uint0Scan } from '../interpreter/toolkit/numbers.js';

export const redirfd = defineCommand({
  names: ['redirfd'],
  prog: 'redirfd',
  usage: 'redirfd -[ r | w | u | a | x ] [ -n ] [ -b ] fd file prog...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'rwuaxnb');
    let mode = -1;
    let extra = 0;
    let nonblock = false;
    let changemode = false;
    for (const o of opts) {
      switch (o.key) {
        case 'r':
          mode = fsc.O_RDONLY;
          extra = 0;
          break;
        case 'w':
          mode = fsc.O_WRONLY;
          extra = fsc.O_CREAT | fsc.O_TRUNC;
          break;
        case 'u':
          mode = fsc.O_RDWR;
          extra = 0;
          break;
        case 'a':
          mode = fsc.O_WRONLY;
          extra = fsc.O_CREAT | fsc.O_APPEND;
          break;
        case 'x':
          mode = fsc.O_WRONLY;
          extra = fsc.O_CREAT | fsc.O_EXCL;
          break;
        case 'n':
          nonblock = true;
          break;
        case 'b':
          changemode = true;
          break;
      }
    }
    if (argv.length - index < 3 || mode === -1) usage(this.prog, this.usage);
    const fd = uint0Scan(argv[index]);
    if (fd === null) usage(this.prog, this.usage);
    const file = argv[index + 1];
    const flags = mode | extra | (nonblock ? fsc.O_NONBLOCK : 0);
    const path = toBuffer(file);
    // Where the reference's open() would land, for the message if the move fails.
    const landing = ctx.lowestFree(1)[0];
    let real: number;
    try {
      real = ctx.openForTable(path, flags);
    } catch (e) {
      // A fifo without a reader: open it for reading meanwhile, as the reference does.
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || mode !== fsc.O_WRONLY) fatalSys(this.prog, EXIT_SYS, `open ${file}`, e);
      let r: number;
      try {
        r = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK);
      } catch (e2) {
        fatalSys(this.prog, EXIT_SYS, `open_read ${file}`, e2);
      }
      try {
        real = ctx.openForTable(path, flags);
      } catch (e3) {
        fatalSys(this.prog, EXIT_SYS, `open ${file}`, e3);
      } finally {
        closeSync(r);
      }
    }
    if (!ctx.validTarget(fd)) fatalSys(this.prog, EXIT_SYS, `move fd ${landing} to fd ${argv[index]}`, 'EBADF');
    if (changemode) {
      try {
        const sys = await import('../interpreter/platform/index.js');
        sys.setNonblock(real, !nonblock);
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, 'change blocking mode', e);
      }
    }
    ctx.setFd(fd, real);
    return argv.slice(index + 2);
  },
});

// umask (execline-umask): sets the file creation mask (octal), then runs the rest.
import { defineCommand } from '../command/command.js';
import { usage } from '../command/errors.js';

/** skalibs' uint_oscan: the leading octal digits, as long as the value fits 32 bits; null if none. */
function scanOctalPrefix(s: string): number | null {
  let v = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 7 || v * 8 + d > 0xffffffff) break;
    v = v * 8 + d;
  }
  return i ? v : null;
}

export const umask = defineCommand({
  names: ['umask', 'execline-umask'],
  prog: 'execline-umask',
  usage: 'umask value prog...',
  run(_st, argv) {
    if (argv.length < 3) usage(this.prog, this.usage);
    const m = scanOctalPrefix(argv[1]);
    if (m === null) usage(this.prog, this.usage);
    process.umask(m & 0o777);
    return argv.slice(2);
  },
});

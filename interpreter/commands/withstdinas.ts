// withstdinas: reads its whole stdin into a variable and goes on; -i/-I/-D say what to do when
// the input holds a NUL byte, -N keeps a final newline.
import { readSync } from 'node:fs';
import { defineCommand, options } from '../command/command.js';
import { Die, fatal, strerror, usage, warn } from '../command/errors.js';
import { fromBuffer } from '../language/bytes.js';
import { realFd } from '../runtime/state.js';
import { continueWith } from '../command/child.js';
import { mergeEnv, setEnv } from '../runtime/env.js';
import { validVariable } from '../command/loops.js';

/** Everything readable on a real fd, as a byte string. */
function slurp(fd: number): string {
  const chunks: Buffer[] = [];
  // A closed stdin (realFd gives -1) fails as read(2) on it does.
  if (fd < 0) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return fromBuffer(Buffer.concat(chunks));
}

export const withstdinas = defineCommand({
  names: ['withstdinas'],
  prog: 'withstdinas',
  usage: 'withstdinas [ -i | -I | -D default ] [ -N | -n ] [ -E | -e ] var remainder...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'iINnD:Ee');
    let insist = 0;
    let def: string | null = null;
    let chomp = true;
    let doimport = false;
    for (const o of opts) {
      if (o.key === 'i') insist = 2;
      else if (o.key === 'I') insist = 1;
      else if (o.key === 'N' || o.key === 'n') chomp = o.key === 'n';
      else if (o.key === 'D') def = o.arg;
      else doimport = o.key === 'E';
    }
    if (argv.length - index < 1) usage(this.prog, this.usage);
    const variable = argv[index];
    if (!validVariable(variable)) fatal(this.prog, 100, 'invalid variable name');
    let input: string;
    try {
      input = slurp(realFd(st, 0));
    } catch (e) {
      throw new Die(111, `${this.prog}: fatal: unable to slurp: ${strerror(e)}`);
    }
    let value: string | null = input;
    const z = input.indexOf('\0');
    if (z >= 0) {
      if (insist >= 2) throw new Die(1, `${this.prog}: fatal: stdin contained a null character`);
      if (insist) value = null;
      else if (def !== null) {
        value = def;
        warn(this.prog, 'stdin contained a null character - using default instead');
      } else value = input.slice(0, z);
    } else if (chomp && input.endsWith('\n')) value = input.slice(0, -1);
    const rest = continueWith(argv.slice(index + 1));
    if (value === null) mergeEnv(st, [[variable, null]]);
    else setEnv(st, variable, value);
    return doimport ? ['importas', '-ui', variable, variable, ...rest] : rest;
  },
});

// loopwhilex: runs a program again and again while its exit code says so (0 by default, or the
// -o / -x lists), then exits with the last exit code.
import { defineCommand, options } from '../command/command.js';
import { Die, Exit, strerror, usage } from '../command/errors.js';
import { runChild } from '../runtime/trampoline.js';
import { loopCode, scanCodes } from '../command/loops.js';

export const loopwhilex = defineCommand({
  names: ['loopwhilex'],
  prog: 'loopwhilex',
  usage: 'loopwhilex [ -n ] [ -o okcode,okcode,... | -x exitcode,exitcode,... ] prog...',
  async run(st, argv) {
    const { opts, index } = options(this, argv, 'no:x:');
    let not = false;
    let rev = false;
    let codes: number[] = [];
    for (const o of opts) {
      if (o.key === 'n') not = true;
      else {
        const c = scanCodes(o.arg);
        if (!c) usage(this.prog, this.usage);
        codes = c;
        rev = o.key === 'x';
      }
    }
    const prog = argv.slice(index);
    if (prog.length === 0) usage(this.prog, this.usage);
    if (codes.length === 0) codes = [0];
    else if (rev) not = !not;
    for (;;) {
      const r = await runChild(st, prog);
      if ('spawnError' in r) {
        if (r.spawnError === 'ENOENT' && prog[0].startsWith(' ')) {
          throw new Die(111, `${this.prog}: fatal: : unable to spawn ${prog[0]}: name begins with a space, are you trying to spawn a block as your loop body?`);
        }
        throw new Die(111, `${this.prog}: fatal: unable to spawn ${prog[0]}: ${strerror({ code: r.spawnError })}`);
      }
      const code = loopCode(r);
      if (not === codes.includes(code)) throw new Exit(code);
    }
  },
});

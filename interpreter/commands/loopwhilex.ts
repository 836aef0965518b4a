// loopwhilex: runs a program again and again while its exit code says so (0 by default, or the
// -o / -x lists), then exits with the last exit code.
import { defineCommand, options } from '../command/command.js';
import { Exit, usage } from '../command/errors.js';
import { runLineOrDie } from '../command/child.js';
import { loopCode, scanCodes } from '../command/loops.js';

export const loopwhilex = defineCommand({
  names: ['loopwhilex'],
  prog: 'loopwhilex',
  usage: 'loopwhilex [ -n ] [ -o okcode,okcode,... | -x exitcode,exitcode,... ] prog...',
  async run(ctx, argv) {
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
      const r = await runLineOrDie(ctx, this.prog, prog, 'loop body');
      const code = loopCode(r);
      if (not === codes.includes(code)) throw new Exit(code);
    }
  },
});

// ifte: runs the test command (the rest of the line), then goes on with the "then" or the "else" block.
import { defineCommand, options } from '../command/command.js';
import { readNamedBlock } from '../command/block.js';
import { estatus } from '../command/child.js';
import { Die, Exit, strerror } from '../command/errors.js';
import { runChild } from '../runtime/trampoline.js';

export const ifte = defineCommand({
  names: ['ifte'],
  prog: 'ifte',
  usage: 'ifte [ -X ] [ -n ] { command-then... } { command-else... } command-if...',
  async run(st, argv) {
    const { opts, index } = options(this, argv, 'Xn');
    const not = opts.some((o) => o.key === 'n');
    const crashIsFalse = opts.some((o) => o.key === 'X');
    const then = readNamedBlock(st, argv, index, 1, 'unterminated then block');
    if (then.next >= argv.length) throw new Die(100, `${this.prog}: fatal: else block required`);
    const otherwise = readNamedBlock(st, argv, then.next, 2, 'unterminated else block');
    const test = argv.slice(otherwise.next);
    if (test.length === 0) throw new Die(100, `${this.prog}: fatal: empty command-if`);
    const r = await runChild(st, test);
    if ('spawnError' in r) {
      if (r.spawnError === 'ENOENT' && test[0].startsWith(' '))
        throw new Die(111, `${this.prog}: fatal: : unable to spawn ${test[0]}: name begins with a space, are you trying to spawn a block as your command-if?`);
      throw new Die(111, `${this.prog}: fatal: unable to spawn ${test[0]}: ${strerror({ code: r.spawnError })}`);
    }
    if (r.signal && !crashIsFalse) throw new Die(128 + r.signal, `${this.prog}: fatal: child crashed with signal ${r.signal}`);
    const next = not !== (estatus(r) === 0) ? then.argv : otherwise.argv;
    if (next.length === 0) throw new Exit(0);
    return next;
  },
});

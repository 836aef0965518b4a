// ifte: runs the test command (the rest of the line), then goes on with the "then" or the "else" block.
import { defineCommand, options } from '../command/command.js';
import { readNamedBlock } from '../command/block.js';
import { estatus, fatalCrash, runLineOrDie } from '../command/child.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';

export const ifte = defineCommand({
  names: ['ifte'],
  prog: 'ifte',
  usage: 'ifte [ -X ] [ -n ] { command-then... } { command-else... } command-if...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'Xn');
    const not = opts.some((o) => o.key === 'n');
    const crashIsFalse = opts.some((o) => o.key === 'X');
    const then = readNamedBlock(ctx, argv, index, 1, 'unterminated then block');
    if (then.next >= argv.length) fatal(this.prog, EXIT_USAGE, 'else block required');
    const otherwise = readNamedBlock(ctx, argv, then.next, 2, 'unterminated else block');
    const test = argv.slice(otherwise.next);
    if (test.length === 0) fatal(this.prog, EXIT_USAGE, 'empty command-if');
    const r = await runLineOrDie(ctx, this.prog, test, 'command-if');
    if (r.signal && !crashIsFalse) fatalCrash(this.prog, r.signal);
    const next = not !== (estatus(r) === 0) ? then.argv : otherwise.argv;
    if (next.length === 0) throw new Exit(0);
    return next;
  },
});

// ifelse: runs a test block, then goes on with the "then" block if it succeeded, else with the rest.
import { defineCommand, options } from '../command/command.js';
import { readNamedBlock } from '../command/block.js';
import { estatus, fatalCrash, runBlockOrDie } from '../command/child.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';

export const ifelse = defineCommand({
  names: ['ifelse'],
  prog: 'ifelse',
  usage: 'ifelse [ -n ] [ -X ] { command-if } { command-then... } command-else...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'nX');
    const not = opts.some((o) => o.key === 'n');
    const crashIsFalse = opts.some((o) => o.key === 'X');
    const test = readNamedBlock(ctx, argv, index, 1, 'unterminated if block');
    if (test.next >= argv.length) fatal(this.prog, EXIT_USAGE, 'then block required');
    const then = readNamedBlock(ctx, argv, test.next, 2, 'unterminated then block');
    const s = await runBlockOrDie(ctx, test.argv);
    if (s.signal && !crashIsFalse) fatalCrash(this.prog, s.signal);
    const next = not !== (estatus(s) === 0) ? then.argv : argv.slice(then.next);
    if (next.length === 0) throw new Exit(0);
    return next;
  },
});

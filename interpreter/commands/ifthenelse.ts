// ifthenelse: runs a test block, then the "then" or the "else" block as a child, sets ? to its
// status and goes on with the rest (-s: goes on with the chosen block followed by the rest).
import { defineCommand, options } from '../command/command.js';
import { readNamedBlock } from '../command/block.js';
import { continueWith, estatus, fatalCrash, runBlockOrDie, runBlockOrWarn, waitStatus } from '../command/child.js';
import { EXIT_USAGE, fatal } from '../command/errors.js';

export const ifthenelse = defineCommand({
  names: ['ifthenelse'],
  prog: 'ifthenelse',
  usage: 'ifthenelse [ -X ] { command-if... } { command-then... } { command-else... } [ remainder... ]',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'Xs');
    const crashIsFalse = opts.some((o) => o.key === 'X');
    const magicScope = opts.some((o) => o.key === 's');
    const test = readNamedBlock(ctx, argv, index, 1, 'unterminated if block');
    if (test.next >= argv.length) fatal(this.prog, EXIT_USAGE, 'then block required');
    const then = readNamedBlock(ctx, argv, test.next, 2, 'unterminated then block');
    const otherwise = readNamedBlock(ctx, argv, then.next, 3, 'unterminated else block');
    const rest = argv.slice(otherwise.next);
    const s = await runBlockOrDie(ctx, test.argv);
    if (s.signal && !crashIsFalse) fatalCrash(this.prog, s.signal);
    const branch = estatus(s) === 0 ? then.argv : otherwise.argv;
    if (magicScope) return continueWith([...branch, ...rest]);
    const status = await runBlockOrWarn(ctx, branch);
    if (rest.length === 0) return continueWith(rest);
    ctx.setEnv('?', String(waitStatus(status)));
    return rest;
  },
});

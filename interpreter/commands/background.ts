// background: starts a block as a child without waiting for it, sets ! to its pid, and goes on.
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { Exit, EXIT_USAGE, fatal } from '../command/errors.js';
import { startBeside } from '../command/child.js';

export const background = defineCommand({
  names: ['background'],
  prog: 'background',
  usage: 'background [ -d ] { command... }',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'd');
    const block = readBlock(ctx, argv, index);
    if (block.argv.length === 0) fatal(this.prog, EXIT_USAGE, 'empty block');
    const rest = argv.slice(block.next);
    // -d (doublefork) makes the program a grandchild, which wait does not see; without a
    // remainder there is nothing left to run, so the reference forks once.
    const detach = opts.some((o) => o.key === 'd') && rest.length > 0;
    const pid = startBeside(ctx, this.prog, block.argv, detach);
    if (rest.length === 0) throw new Exit(0);
    ctx.setEnv('!', String(pid));
    return rest;
  },
});

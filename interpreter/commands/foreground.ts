// foreground: runs a block, waits for it, sets ? to its wait status, and goes on.
import { defineCommand } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { continueWith, runBlockOrWarn, waitStatus } from '../command/child.js';

export const foreground = defineCommand({
  names: ['foreground'],
  prog: 'foreground',
  usage: 'foreground { prog1... } prog2...',
  async run(ctx, argv) {
    const block = readBlock(ctx, argv, 1);
    const status = await runBlockOrWarn(ctx, block.argv);
    ctx.setEnv('?', String(waitStatus(status)));
    return continueWith(argv.slice(block.next));
  },
});

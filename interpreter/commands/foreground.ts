// foreground: runs a block, waits for it, sets ? to its wait status, and goes on.
import { defineCommand } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { continueWith, runBlockOrWarn, waitStatus } from '../command/child.js';
import { setEnv } from '../runtime/env.js';

export const foreground = defineCommand({
  names: ['foreground'],
  prog: 'foreground',
  usage: 'foreground { prog1... } prog2...',
  async run(st, argv) {
    const block = readBlock(st, argv, 1);
    const status = await runBlockOrWarn(st, block.argv);
    setEnv(st, '?', String(waitStatus(status)));
    return continueWith(argv.slice(block.next));
  },
});

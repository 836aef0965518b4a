// forbacktickx: runs a block, and a loop body once per line (or element) of that block's output.
// The reference is a wrapper (pipeline, unexport !, forstdin, fdmove 0): this reproduces what
// that chain does, with the loop body still getting the original stdin.
import { defineCommand } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { EXIT_USAGE, fatal, fatalSpawn, usage } from '../command/errors.js';
import { pipeSource, startCapture, validVariable } from '../command/loops.js';
import { closeSync } from 'node:fs';
import { forstdinLoop, splitOptions } from '../command/forstdin-loop.js';

export const forbacktickx = defineCommand({
  names: ['forbacktickx'],
  prog: 'forbacktickx',
  usage:
    'forbacktickx [ -p | -o okcode,okcode,... | -x breakcode,breakcode,... ] [ -E | -e ] [ -N | -n ] [ -C | -c ] [ -0 | -d delim ] var { backtickcmd... } command...',
  async run(ctx, argv) {
    const { set, index } = splitOptions(this, argv, 'pNnCc0d:o:x:Ee');
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const variable = argv[index];
    if (!variable) usage(this.prog, this.usage);
    if (argv[index + 1] === '') fatal(this.prog, 100, 'empty block');
    const block = readBlock(ctx, argv, index + 1);
    const loop = argv.slice(block.next);
    // pipeline: the generator runs first, its stdout into the pipe that forstdin reads.
    const c = await startCapture(ctx, block.argv, 3);
    if ('spawnError' in c) fatalSpawn('pipeline', block.argv[0], c.spawnError);
    try {
      if (!validVariable(variable)) fatal('forstdin', EXIT_USAGE, 'invalid variable name');
      // unexport !, then each body starts with fdmove 0 <original stdin> (fdclose 0 if it was closed).
      const ls = ctx.withEnv([['!', null]]);
      const prefix = ctx.realFd(0) < 0 ? ['fdclose', '0'] : ['fdmove', '0', '0'];
      return await forstdinLoop(ls, 'forstdin', variable, [...prefix, ...loop], pipeSource(c.fd), set);
    } finally {
      closeSync(c.fd);
    }
  },
});

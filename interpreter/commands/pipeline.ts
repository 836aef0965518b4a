// pipeline: starts a block as a child with a pipe between its stdout and the rest's stdin (or, with
// -w, between the rest's stdout and its stdin), sets ! to its pid, and goes on with the rest.
import { closeSync } from 'node:fs';
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { EXIT_SYS, EXIT_USAGE, fatal, fatalSpawn, fatalSys } from '../command/errors.js';
import { startBeside } from '../command/child.js';

/** A child with nothing to run (an empty block): it exits at once, closing its end of the pipe. */
async function emptyChild(): Promise<number> {
  const sys = await import('../platform/index.js');
  return sys.forkWrite(-1, null, 0);
}

export const pipeline = defineCommand({
  names: ['pipeline'],
  prog: 'pipeline',
  usage: 'pipeline [ -d ] [ -r | -w ] { command... } command...',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'drw');
    let detach = false;
    let w = false;
    for (const o of opts) {
      if (o.key === 'd') detach = true;
      else w = o.key === 'w';
    }
    const block = readBlock(ctx, argv, index);
    const rest = argv.slice(block.next);
    if (rest.length === 0) fatal(this.prog, EXIT_USAGE, 'empty remainder');
    // The pipe must fit under the program's open-files limit (s6-softlimit -o): the reference's
    // child_spawn1_pipe fails, and says so as a spawn failure.
    if (block.argv.length > 0 && ctx.lowestFree(2)[1] >= ctx.nofileLimit()) {
      fatalSpawn(this.prog, block.argv[0], 'EMFILE');
    }
    const sys = await import('../platform/index.js');
    let p: [number, number];
    try {
      p = sys.pipe();
    } catch (e) {
      fatalSys(this.prog, EXIT_SYS, 'create pipe', e);
    }
    // -r (default): the block writes, the rest reads; -w: the other way round.
    const [childEnd, ourEnd] = w ? [p[0], p[1]] : [p[1], p[0]];
    let pid: number;
    if (block.argv.length === 0) pid = await emptyChild();
    else {
      try {
        pid = startBeside(ctx, this.prog, block.argv, detach, { fds: [[w ? 0 : 1, childEnd]] });
      } catch (e) {
        closeSync(p[0]);
        closeSync(p[1]);
        throw e;
      }
    }
    closeSync(childEnd);
    ctx.adoptFd(w ? 1 : 0, ourEnd);
    ctx.setEnv('!', String(pid));
    return rest;
  },
});

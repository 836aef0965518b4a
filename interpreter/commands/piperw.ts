// piperw: creates a pipe with its reading end on fdr and its writing end on fdw, then goes on.
import { closeSync } from 'node:fs';
import { defineCommand, parseUint } from '../command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../command/errors.js';
import { openPipe } from '../command/pipes.js';

export const piperw = defineCommand({
  names: ['piperw'],
  prog: 'piperw',
  usage: 'piperw fdr fdw prog...',
  async run(ctx, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    const fdr = parseUint(argv[1]);
    const fdw = parseUint(argv[2]);
    if (fdr === null || fdw === null || fdr > 0xffffffff || fdw > 0xffffffff || fdr === fdw) usage(this.prog, this.usage);
    // pipe() in the program's process takes its two lowest free fds: past its open-files limit
    // (s6-softlimit -o), EMFILE.
    if (ctx.lowestFree(2)[1] >= ctx.nofileLimit()) fatalSys(this.prog, EXIT_SYS, 'create pipe', 'EMFILE');
    const p = await openPipe(this.prog, 'create pipe');
    // The reference's fd_move2 of both ends fails on an fd past the open-files limit.
    if (!ctx.validTarget(fdr) || !ctx.validTarget(fdw)) {
      for (const f of p) closeSync(f);
      fatalSys(this.prog, EXIT_SYS, 'move fds', 'EBADF');
    }
    ctx.adoptFd(fdw, p[1]);
    ctx.adoptFd(fdr, p[0]);
    return argv.slice(3);
  },
});

// heredoc: runs the rest with a string readable on a file descriptor, through a pipe. A string
// that fits in the pipe (grown up to the kernel's limit) is written at once; a longer one is fed
// by a writer child, as the reference's forked writer does, since this process is about to exec.
import type { Context } from '../command/context.js';
import { closeSync, writeSync } from 'node:fs';
import { defineCommand, options, parseUint } from '../command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../command/errors.js';
import { toBuffer } from '../language/bytes.js';
import { openPipe } from '../command/pipes.js';

/** Writes as much as fits into the pipe without blocking; returns how much was written. */
function writeNow(sys: typeof import('../platform/index.js'), fd: number, data: Buffer): number {
  sys.setNonblock(fd, true);
  let off = 0;
  try {
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
  } finally {
    sys.setNonblock(fd, false);
  }
  return off;
}

/**
 * Starts the writer child that feeds `data` into `w`, as the reference's forked writer (a
 * grandchild with -d). It is a fork of this process that only writes and exits: no shell, no
 * second Node, and the data never passes through another pipe.
 */
function startWriter(sys: typeof import('../platform/index.js'), w: number, data: Buffer, detach: boolean): void {
  sys.forkWrite(w, data, 0, detach);
}

export const heredoc = defineCommand({
  names: ['heredoc'],
  prog: 'heredoc',
  usage: 'heredoc [ -d ] fd string command...',
  async run(ctx: Context, argv) {
    const { opts, index } = options(this, argv, 'd');
    const detach = opts.length > 0;
    if (argv.length - index < 3) usage(this.prog, this.usage);
    const fd = parseUint(argv[index]);
    if (fd === null || fd > 0xffffffff) usage(this.prog, this.usage);
    const data = toBuffer(argv[index + 1]);
    const sys = await import('../platform/index.js');
    // pipe() in the program's process takes its two lowest free fds: past its open-files limit
    // (s6-softlimit -o), EMFILE.
    if (ctx.lowestFree(2)[1] >= ctx.nofileLimit()) fatalSys(this.prog, EXIT_SYS, 'pipe', 'EMFILE');
    const p = await openPipe(this.prog, 'pipe');
    // The reference moves the reading end onto fd last: past the open-files limit, that fails.
    if (!ctx.validTarget(fd)) {
      for (const f of p) closeSync(f);
      fatalSys(this.prog, EXIT_SYS, `read on fd ${argv[index]}`, 'EBADF');
    }
    try {
      // A string longer than a pipe's 64 KiB: grow the pipe to hold it when the kernel allows
      // (up to 1 MiB by default), so no writer process is needed.
      if (data.length > 65536) sys.setPipeSize(p[1], data.length);
      const done = writeNow(sys, p[1], data);
      if (done < data.length) startWriter(sys, p[1], data.subarray(done), detach);
    } catch (e) {
      closeSync(p[0]);
      fatalSys(this.prog, EXIT_SYS, `${detach ? 'double' : ''}fork`, e);
    } finally {
      closeSync(p[1]);
    }
    ctx.adoptFd(fd, p[0]);
    return argv.slice(index + 2);
  },
});

// piperw: creates a pipe with its reading end on fdr and its writing end on fdw, then goes on.
import { defineCommand, parseUint } from '../command.js';
import { usage } from '../errors.js';
import { mapFd, openPipe } from './pipeline.js';

export const piperw = defineCommand({
  names: ['piperw'],
  prog: 'piperw',
  usage: 'piperw fdr fdw prog...',
  async run(st, argv) {
    if (argv.length < 4) usage(this.prog, this.usage);
    const fdr = parseUint(argv[1]);
    const fdw = parseUint(argv[2]);
    if (fdr === null || fdw === null || fdr > 0xffffffff || fdw > 0xffffffff || fdr === fdw) usage(this.prog, this.usage);
    const p = await openPipe(this.prog);
    mapFd(st, fdw, p[1]);
    mapFd(st, fdr, p[0]);
    return argv.slice(3);
  },
});

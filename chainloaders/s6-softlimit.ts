// s6-softlimit: lowers (or raises up to the hard limit) soft resource limits of the program. The
// values are computed now, against the limits the program would have; they are applied right
// before exec, so Node itself never runs under them.
import type { Context } from '../interpreter/command/context.js';
import { RLIMIT } from '../interpreter/platform/linux.js';
import { defineCommand } from '../interpreter/command/command.js';
import { EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { uint640Scan } from '../interpreter/toolkit/numbers.js';

const { CPU, FSIZE, DATA, STACK, CORE, RSS, NPROC, NOFILE, MEMLOCK, AS } = RLIMIT;

/** The resources each option sets, in the reference's order (Linux has no VMEM or OFILE of its own). */
const RESOURCES: Record<string, number[]> = {
  a: [AS],
  c: [CORE],
  d: [DATA],
  f: [FSIZE],
  l: [MEMLOCK],
  m: [DATA, STACK, MEMLOCK, AS],
  o: [NOFILE],
  p: [NPROC],
  r: [RSS],
  s: [STACK],
  t: [CPU],
};

export const s6softlimit = defineCommand({
  names: ['s6-softlimit'],
  prog: 's6-softlimit',
  usage:
    's6-softlimit [ -a allbytes ] [ -c corebytes ] [ -d databytes ] [ -f filebytes ] [ -l lockbytes ] [ -m membytes ] [ -o openfiles ] [ -p processes ] [ -r residentbytes ] [ -s stackbytes ] [ -t cpusecs ] prog...',
  run(ctx, argv) {
    // The reference ignores options it does not know; a missing argument is a usage error.
    let i = 1;
    while (i < argv.length) {
      const w = argv[i];
      if (w.length < 2 || w[0] !== '-') break;
      i++;
      if (w === '--') break;
      for (let j = 1; j < w.length; j++) {
        const res = RESOURCES[w[j]];
        if (!res) continue;
        let arg: string;
        if (j + 1 < w.length) arg = w.slice(j + 1);
        else if (i < argv.length) arg = argv[i++];
        else usage(this.prog, this.usage);
        for (const r of res) limit(this, ctx, r, arg);
        break;
      }
    }
    const index = i;
    if (index >= argv.length) usage(this.prog, this.usage);
    return argv.slice(index);
  },
});

function limit(cmd: { prog: string; usage: string }, ctx: Context, res: number, arg: string): void {
  let cur: { soft: bigint; hard: bigint };
  try {
    cur = ctx.getRlimit(res);
  } catch (e) {
    fatalSys(cmd.prog, EXIT_SYS, 'getrlimit', e);
  }
  let soft: bigint;
  if (arg === '=') soft = cur.hard;
  else {
    const v = uint640Scan(arg);
    if (v === null) usage(cmd.prog, cmd.usage);
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min takes numbers)
    soft = v > cur.hard ? cur.hard : v;
  }
  ctx.setRlimit(res, soft, cur.hard);
}

// s6-dumpenv (s6-portable-utils): writes the environment as an envdir, one file per variable
// holding its value as is (-n, the default: read back with `s6-envdir -Lfn`) or followed by a
// newline (-N: read back with `s6-envdir -Lf`), creating the directory if needed. s6-overlay v3
// runs `s6-dumpenv -N` at boot when S6_KEEP_ENV is set.
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { defineCommand, options } from '../interpreter/command/command.js';
import { Exit, EXIT_SYS, fatalSys, usage } from '../interpreter/command/errors.js';
import { toBuffer } from '../interpreter/language/bytes.js';
import { uint0Oscan } from '../interpreter/toolkit/numbers.js';

export const s6dumpenv = defineCommand({
  names: ['s6-dumpenv'],
  prog: 's6-dumpenv',
  usage: 's6-dumpenv [ -N | -n ] [ -m mode ] dir',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'Nnm:');
    let mode = 0o755;
    let newline = false;
    for (const o of opts) {
      if (o.key === 'N') newline = true;
      else if (o.key === 'n') newline = false;
      else {
        const m = uint0Oscan(o.arg);
        if (m === null) usage(this.prog, this.usage);
        mode = m & 0o7777;
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    const dir = argv[index];
    // mkdir, then accept a directory that is already there (the parent must exist).
    try {
      mkdirSync(toBuffer(dir), { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') fatalSys(this.prog, EXIT_SYS, `mkdir ${dir}`, e);
      let isDir: boolean;
      try {
        isDir = statSync(toBuffer(dir)).isDirectory();
      } catch (e2) {
        fatalSys(this.prog, EXIT_SYS, `stat ${dir}`, e2);
      }
      if (!isDir) fatalSys(this.prog, EXIT_SYS, `mkdir ${dir}`, 'ENOTDIR');
    }
    for (const [k, v] of ctx.env) {
      if (k === '' || k.includes('/')) continue;
      const file = `${dir}/${k}`;
      // The temporary name holds '=', which no envdir reader takes for a variable.
      const tmp = `${file}=.tmp`;
      try {
        writeFileSync(toBuffer(tmp), toBuffer(newline ? v + '\n' : v), { mode: 0o666 });
        renameSync(toBuffer(tmp), toBuffer(file));
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, `open ${file}`, e);
      }
    }
    throw new Exit(0);
  },
});

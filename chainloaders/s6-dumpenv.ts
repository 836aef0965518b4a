// s6-dumpenv: writes the environment as an envdir (one file per variable, its value then a
// newline, newlines in values stored as nulls), creating the directory if needed; s6-envdir
// reads it back. Images use it to capture their environment at start.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { defineCommand, options } from '../interpreter/command.js';
import { Exit, fatal, strerror, usage } from '../interpreter/errors.js';
import { toBuffer } from '../interpreter/bytes.js';

export const s6dumpenv = defineCommand({
  names: ['s6-dumpenv'],
  prog: 's6-dumpenv',
  usage: 's6-dumpenv [ -m mode ] envdir',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'm:');
    let mode = 0o755;
    for (const o of opts) {
      if (!/^[0-7]+$/.test(o.arg)) usage(this.prog, this.usage);
      mode = parseInt(o.arg, 8) & 0o7777;
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    const dir = argv[index];
    try {
      mkdirSync(toBuffer(dir), { recursive: true, mode });
    } catch (e) {
      fatal(this.prog, 111, 'unable to mkdir ', dir, ': ', strerror(e));
    }
    for (const [k, v] of st.env) {
      if (k === '' || k.includes('/') || k.startsWith('.')) continue;
      const file = `${dir}/${k}`;
      const tmp = `${dir}/.${k}.tmp`;
      try {
        writeFileSync(toBuffer(tmp), toBuffer(v.split('\n').join('\0') + '\n'), { mode: 0o644 });
        renameSync(toBuffer(tmp), toBuffer(file));
      } catch (e) {
        fatal(this.prog, 111, 'unable to write ', file, ': ', strerror(e));
      }
    }
    throw new Exit(0);
  },
});

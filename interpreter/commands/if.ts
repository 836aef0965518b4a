// if: runs a block and goes on only if it succeeded (or failed, with -n).
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { approximate, continueWith, runBlockOrDie } from '../command/child.js';
import { Die, Exit, usage } from '../command/errors.js';

export const ifCmd = defineCommand({
  names: ['if'],
  prog: 'if',
  usage: 'if [ -n ] [ -X ] [ -t | -x exitcode ] { command... }',
  async run(st, argv) {
    const { opts, index } = options(this, argv, 'nXtx:');
    let not = false;
    let crashIsFalse = false;
    let forced: number | null = null;
    for (const o of opts) {
      if (o.key === 'n') not = true;
      else if (o.key === 'X') crashIsFalse = true;
      else if (o.key === 't') forced = 0;
      else {
        if (!/^[0-9]+$/.test(o.arg) || Number(o.arg) > 65535) usage(this.prog, this.usage);
        forced = Number(o.arg);
      }
    }
    if (forced !== null && forced > 255) throw new Die(100, `${this.prog}: fatal: invalid exit code`);
    const block = readBlock(st, argv, index);
    const s = await runBlockOrDie(st, block.argv);
    if (s.signal && !crashIsFalse) throw new Die(128 + s.signal, `${this.prog}: fatal: child crashed with signal ${s.signal}`);
    const ok = !s.signal && s.code === 0;
    if (ok === not) throw new Exit(forced ?? (not ? 1 : approximate(s)));
    return continueWith(argv.slice(block.next));
  },
});

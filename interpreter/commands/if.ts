// if: runs a block and goes on only if it succeeded (or failed, with -n).
import { defineCommand, options } from '../command/command.js';
import { readBlock } from '../command/block.js';
import { approximate, continueWith, fatalCrash, runBlockOrDie } from '../command/child.js';
import { Exit, EXIT_USAGE, fatal, usage } from '../command/errors.js';
import { USHRT_MAX, uint0Scan } from '../toolkit/numbers.js';

export const ifCmd = defineCommand({
  names: ['if'],
  prog: 'if',
  usage: 'if [ -n ] [ -X ] [ -t | -x exitcode ] { command... }',
  async run(ctx, argv) {
    const { opts, index } = options(this, argv, 'nXtx:');
    let not = false;
    let crashIsFalse = false;
    let forced: number | null = null;
    for (const o of opts) {
      if (o.key === 'n') not = true;
      else if (o.key === 'X') crashIsFalse = true;
      else if (o.key === 't') forced = 0;
      else {
        forced = uint0Scan(o.arg, USHRT_MAX);
        if (forced === null) usage(this.prog, this.usage);
      }
    }
    if (forced !== null && forced > 255) fatal(this.prog, EXIT_USAGE, 'invalid exit code');
    const block = readBlock(ctx, argv, index);
    const s = await runBlockOrDie(ctx, block.argv);
    if (s.signal && !crashIsFalse) fatalCrash(this.prog, s.signal);
    const ok = !s.signal && s.code === 0;
    if (ok === not) throw new Exit(forced ?? (not ? 1 : approximate(s)));
    return continueWith(argv.slice(block.next));
  },
});

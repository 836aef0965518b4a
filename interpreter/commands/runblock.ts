// runblock: for commands written in execline: runs one of the blocks (or the rest after n blocks,
// with -r) found in the positional parameters, after cmd... if given, popping the positionals.
import { defineCommand, options } from '../command/command.js';
import { Exit, EXIT_USAGE, Killed, fatal, strictComplaint, usage } from '../command/errors.js';
import { SIGNALS } from '../platform/linux.js';
import { positional, sharpOf } from '../command/positionals.js';
import { uint0Scan } from '../toolkit/numbers.js';

export const runblock = defineCommand({
  names: ['runblock'],
  prog: 'runblock',
  usage: 'runblock [ -P ] [ -n argshift ] [ -r ] n cmd...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'Prn:');
    let noPop = false;
    let remainder = false;
    let m = 0;
    for (const o of opts) {
      if (o.key === 'P') noPop = true;
      else if (o.key === 'r') remainder = true;
      else {
        const v = uint0Scan(o.arg);
        if (v === null) usage(this.prog, this.usage);
        m = v;
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    const n = uint0Scan(argv[index]);
    if (n === null || (n === 0 && !remainder)) usage(this.prog, this.usage);
    const sharp = sharpOf(ctx, this.prog);
    const strict = ctx.strictness();
    const arg = (k: number): string => positional(ctx, this.prog, k);
    // The block of positionals after $m, number `block`: its words (one leading space removed
    // from the quoted ones), leaving m on its terminating empty word.
    const nextBlock = (block: number): string[] => {
      const base = m;
      const words: string[] = [];
      for (;;) {
        if (++m > sharp) fatal(this.prog, EXIT_USAGE, 'too few arguments');
        const x = arg(m);
        if (x === '') return words;
        if (x[0] === ' ') words.push(x.slice(1));
        else {
          strictComplaint(this.prog, strict, `unquoted positional ${x} at block ${block} position ${m - base}`);
          words.push(x);
        }
      }
    };

    // Skip n-1 blocks (n with -r).
    for (let i = 1; i < n + (remainder ? 1 : 0); i++) nextBlock(i);

    const v = argv.slice(index + 1);
    if (remainder) {
      if (++m > sharp) throw new Exit(0);
      for (; m <= sharp; m++) v.push(arg(m));
    } else for (const w of nextBlock(n)) v.push(w);
    if (!noPop) ctx.popPositionals();
    if (v.length === 0) {
      // The reference execs a null program name and crashes with SIGSEGV: this process (a
      // virtual child's too) ends as killed by it.
      throw new Killed(SIGNALS.SEGV);
    }
    return v;
  },
});

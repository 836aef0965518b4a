// runblock: for commands written in execline: runs one of the blocks (or the rest after n blocks,
// with -r) found in the positional parameters, after cmd... if given, popping the positionals.
import { defineCommand, options, parseUint } from '../command/command.js';
import { Die, Exit, usage, warn } from '../command/errors.js';
import { popPositionals } from '../runtime/env.js';
import { strictness } from '../runtime/state.js';

/** uint0_scan: decimal digits only, fitting an unsigned int. */
function uint(s: string): number | null {
  const n = parseUint(s);
  return n !== null && n <= 0xffffffff ? n : null;
}

export const runblock = defineCommand({
  names: ['runblock'],
  prog: 'runblock',
  usage: 'runblock [ -P ] [ -n argshift ] [ -r ] n cmd...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'Prn:');
    let noPop = false;
    let remainder = false;
    let m = 0;
    for (const o of opts) {
      if (o.key === 'P') noPop = true;
      else if (o.key === 'r') remainder = true;
      else {
        const v = uint(o.arg);
        if (v === null) usage(this.prog, this.usage);
        m = v;
      }
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    const n = uint(argv[index]);
    if (n === null || (n === 0 && !remainder)) usage(this.prog, this.usage);
    const sharpText = st.env.get('#');
    if (sharpText === undefined) throw new Die(100, `${this.prog}: fatal: # not set`);
    const sharp = uint(sharpText);
    if (sharp === null) throw new Die(100, `${this.prog}: fatal: invalid $#`);
    const strict = strictness(st);
    const positional = (k: number): string => {
      const x = st.env.get(String(k));
      if (x === undefined) throw new Die(100, `${this.prog}: fatal: ${k} not set`);
      return x;
    };
    const unquoted = (x: string, block: number, pos: number) => {
      const msg = `unquoted positional ${x} at block ${block} position ${pos}`;
      if (strict >= 2) throw new Die(100, `${this.prog}: fatal: ${msg}`);
      warn(this.prog, msg);
    };

    // Skip n-1 blocks (n with -r).
    for (let i = 1; i < n + (remainder ? 1 : 0); i++) {
      const base = m;
      for (;;) {
        if (++m > sharp) throw new Die(100, `${this.prog}: fatal: too few arguments`);
        const x = positional(m);
        if (x === '') break;
        if (x[0] !== ' ' && strict) unquoted(x, i, m - base);
      }
    }

    const v = argv.slice(index + 1);
    if (remainder) {
      if (++m > sharp) throw new Exit(0);
      for (; m <= sharp; m++) v.push(positional(m));
    } else {
      const base = m;
      for (;;) {
        if (++m > sharp) throw new Die(100, `${this.prog}: fatal: too few arguments`);
        const x = positional(m);
        if (x === '') break;
        if (x[0] !== ' ') {
          if (strict) unquoted(x, n, m - base);
          v.push(x);
        } else v.push(x.slice(1));
      }
    }
    if (!noPop) popPositionals(st);
    if (v.length === 0) {
      // The reference execs a null program name and crashes with SIGSEGV. A virtual child
      // cannot die of a signal by itself, so it becomes a real one that does.
      if (st.virtual) return ['/bin/sh', '-c', 'kill -SEGV $$'];
      process.kill(process.pid, 'SIGSEGV');
      throw new Exit(139);
    }
    return v;
  },
});

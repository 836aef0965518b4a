// shift: shifts the positional parameters by some arguments and then some blocks.
import { defineCommand, options, parseUint } from '../command/command.js';
import { Die, usage, warn } from '../command/errors.js';
import { mergeEnv } from '../runtime/env.js';
import { strictness } from '../runtime/state.js';

function uint(s: string): number | null {
  const n = parseUint(s);
  return n !== null && n <= 0xffffffff ? n : null;
}

/** The number the reference prints in its "too few arguments" message: i's digits over n's. */
function overwritten(n: number, i: number): string {
  const a = String(n);
  const b = String(i);
  return b.length >= a.length ? b : b + a.slice(b.length);
}

export const shift = defineCommand({
  names: ['shift'],
  prog: 'shift',
  usage: 'shift [ -n arg# ] [ -b block# ] prog...',
  run(st, argv) {
    const { opts, index } = options(this, argv, 'n:b:');
    let n = 0;
    let b = 0;
    for (const o of opts) {
      const v = uint(o.arg);
      if (v === null) usage(this.prog, this.usage);
      if (o.key === 'n') n = v;
      else b = v;
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    if (opts.length === 0) n = 1;
    const sharpText = st.env.get('#');
    if (sharpText === undefined) throw new Die(100, `${this.prog}: fatal: # not set`);
    const sharp = uint(sharpText);
    if (sharp === null) throw new Die(100, `${this.prog}: fatal: invalid $#`);
    const strict = strictness(st);

    if (n > sharp) {
      if (strict === 1) warn(this.prog, `unable to shift ${n} arguments: got ${sharp}`);
      else if (strict >= 2) throw new Die(100, `${this.prog}: fatal: : unable to shift ${n} arguments: got ${sharp}`);
      n = sharp;
    }

    for (let i = 0; i < b; i++) {
      for (;;) {
        if (++n > sharp) throw new Die(100, `${this.prog}: fatal: : unable to shift block : too few arguments (${overwritten(n, i)})`);
        const x = st.env.get(String(n));
        if (x === undefined) throw new Die(100, `${this.prog}: fatal: ${n} not set`);
        if (x === '') break;
        if (x[0] !== ' ' && strict) {
          const msg = `unquoted positional ${x} at block ${i} position 1`;
          if (strict >= 2) throw new Die(100, `${this.prog}: fatal: ${msg}`);
          warn(this.prog, msg);
        }
      }
    }

    const modifs: Array<[string, string | null]> = [['#', String(sharp - n)]];
    for (let i = 1; i <= sharp; i++) modifs.push([String(i), i <= sharp - n ? (st.env.get(String(i + n)) ?? null) : null]);
    mergeEnv(st, modifs);
    return argv.slice(index);
  },
});

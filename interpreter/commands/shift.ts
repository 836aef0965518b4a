// shift: shifts the positional parameters by some arguments and then some blocks.
import { defineCommand, options } from '../command/command.js';
import { EXIT_USAGE, fatal, strictComplaint, usage, warn } from '../command/errors.js';
import { positional, sharpOf } from '../command/positionals.js';
import { uint0Scan } from '../toolkit/numbers.js';

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
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'n:b:');
    let n = 0;
    let b = 0;
    for (const o of opts) {
      const v = uint0Scan(o.arg);
      if (v === null) usage(this.prog, this.usage);
      if (o.key === 'n') n = v;
      else b = v;
    }
    if (index >= argv.length) usage(this.prog, this.usage);
    if (opts.length === 0) n = 1;
    const sharp = sharpOf(ctx, this.prog);
    const strict = ctx.strictness();

    if (n > sharp) {
      if (strict === 1) warn(this.prog, `unable to shift ${n} arguments: got ${sharp}`);
      else if (strict >= 2) fatal(this.prog, EXIT_USAGE, `: unable to shift ${n} arguments: got ${sharp}`);
      n = sharp;
    }

    for (let i = 0; i < b; i++) {
      for (;;) {
        if (++n > sharp) fatal(this.prog, EXIT_USAGE, `: unable to shift block : too few arguments (${overwritten(n, i)})`);
        const x = positional(ctx, this.prog, n);
        if (x === '') break;
        if (x[0] !== ' ') strictComplaint(this.prog, strict, `unquoted positional ${x} at block ${i} position 1`);
      }
    }

    const modifs: Array<[string, string | null]> = [['#', String(sharp - n)]];
    for (let i = 1; i <= sharp; i++) modifs.push([String(i), i <= sharp - n ? (ctx.env.get(String(i + n)) ?? null) : null]);
    ctx.mergeEnv(modifs);
    return argv.slice(index);
  },
});

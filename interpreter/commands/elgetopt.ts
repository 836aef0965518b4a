// elgetopt: parses the script's positional parameters with a getopt string, sets ELGETOPT_x for
// each option found (pushing older ELGETOPT_ values), and shifts the options out of 1, 2... and #.
import type { Context } from '../command/context.js';
import { defineCommand, options } from '../command/command.js';
import { Exit, usage, writeAll } from '../command/errors.js';
import { positional, sharpOf } from '../command/positionals.js';

/** Where skalibs' subgetopt is in the arguments: the word, and the letter inside it. */
interface Cursor {
  ind: number;
  pos: number;
}

/** An option letter (with its argument), or '?' / ':' for an error; `missing` tells which error. */
interface Found {
  c: string;
  arg: string | null;
  missing: boolean;
}

/** One step of skalibs' subgetopt over args; null at the end of the options. */
function nextOpt(args: string[], spec: string, o: Cursor): Found | null {
  if (o.ind >= args.length) return null;
  if (o.pos && o.pos >= args[o.ind].length) {
    o.ind++;
    o.pos = 0;
    if (o.ind >= args.length) return null;
  }
  if (!o.pos) {
    const w = args[o.ind];
    if (w[0] !== '-') return null;
    o.pos = 1;
    const c = w[1];
    if (c === '-') o.ind++;
    if (c === undefined || c === '-') {
      o.pos = 0;
      return null;
    }
  }
  const w = args[o.ind];
  const c = w[o.pos++];
  const colonFirst = spec[0] === ':';
  const letters = colonFirst ? spec.slice(1) : spec;
  for (let k = 0; k < letters.length; k++) {
    if (letters[k] !== c) {
      if (letters[k + 1] === ':') k++;
      continue;
    }
    if (letters[k + 1] !== ':') return { c, arg: null, missing: false };
    let arg = w.slice(o.pos);
    o.ind++;
    o.pos = 0;
    if (arg === '') {
      if (o.ind >= args.length) return { c: colonFirst ? ':' : '?', arg: null, missing: true };
      arg = args[o.ind++];
    }
    return { c, arg, missing: false };
  }
  return { c: '?', arg: null, missing: false };
}

function complain(ctx: Context, argv0: string, text: string): void {
  try {
    writeAll(ctx.realFd(2), `${argv0}: ${text}\n`);
  } catch {
    /* stderr closed */
  }
}

export const elgetopt = defineCommand({
  names: ['elgetopt'],
  prog: 'elgetopt',
  usage: 'elgetopt [ -D default ] optstring prog...',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'D:');
    let def = '1';
    for (const o of opts) def = o.arg;
    if (argv.length - index < 2) usage(this.prog, this.usage);
    const spec = argv[index];
    const nbak = sharpOf(ctx, this.prog);
    const args: string[] = [];
    for (let i = 0; i <= nbak; i++) args.push(positional(ctx, this.prog, i));
    const modifs: Array<[string, string | null]> = [];
    const cur: Cursor = { ind: 1, pos: 0 };
    for (;;) {
      const r = nextOpt(args, spec, cur);
      if (!r) break;
      if (r.c === '?' || r.c === ':') {
        complain(ctx, args[0], r.c === ':' || r.missing ? 'option requires an argument' : 'illegal option');
        if (r.c === '?') throw new Exit(1);
      }
      modifs.push([`ELGETOPT_${r.c}`, r.arg ?? def]);
    }
    const left = args.length - cur.ind;
    for (let i = 0; i < nbak; i++) modifs.push([String(i + 1), i < left ? args[cur.ind + i] : null]);
    modifs.push(['#', String(left)]);
    ctx.pushPositionals(['ELGETOPT_']);
    ctx.mergeEnv(modifs);
    return argv.slice(index + 1);
  },
});

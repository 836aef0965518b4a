// execlineb: reads a script (-c string or a file), scans it into an argv, sets up the positional
// parameters (pushed and set, -p set, -P ignored, -S/-s substituted), and runs that argv.
import { closeSync, openSync } from 'node:fs';
import { toBuffer } from '../language/bytes.js';
import { defineCommand, options } from '../command/command.js';
import { uint0Scan } from '../toolkit/numbers.js';
import { readAll } from '../toolkit/io.js';
import { Exit, EXIT_SYS, EXIT_USAGE, fatal, fatalSys, strictComplaint, usage, warn } from '../command/errors.js';
import { ScanError, scan } from '../language/scanner.js';
import { substitute, type Binding } from '../language/substitute.js';

export const execlineb = defineCommand({
  names: ['execlineb'],
  prog: 'execlineb',
  usage: 'execlineb [ -p | -P | -S nmin | -s nmin ] [ -q | -w | -W ] [ -c commandline ] script args',
  run(ctx, argv) {
    const { opts, index } = options(this, argv, 'pPqwWc:S:s:');
    let push = 2; // 2 push+set, 1 set, 0 nothing, 3 -S, 4 -s
    let strict = -1;
    let nmin = 0;
    let text: string | null = null;
    for (const o of opts) {
      if (o.key === 'p') push = 1;
      else if (o.key === 'P') push = 0;
      else if (o.key === 'q') strict = 0;
      else if (o.key === 'w') strict = 1;
      else if (o.key === 'W') strict = 2;
      else if (o.key === 'c') text = o.arg;
      else {
        const n = uint0Scan(o.arg);
        if (n === null) usage(this.prog, this.usage);
        nmin = n;
        push = o.key === 'S' ? 3 : 4;
      }
    }
    let args = argv.slice(index);
    let dollar0 = argv[0];
    if (text === null) {
      if (args.length === 0) usage(this.prog, this.usage);
      dollar0 = args[0];
      args = args.slice(1);
      let fd: number;
      try {
        fd = openSync(toBuffer(dollar0), 'r');
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, `open ${dollar0} for reading`, e);
      }
      // A read error (a directory opens, then reads EISDIR) is the reference's parse failure.
      try {
        text = readAll(fd).toString('latin1');
      } catch (e) {
        fatalSys(this.prog, EXIT_SYS, 'parse script', e);
      } finally {
        closeSync(fd);
      }
    }
    let words: string[];
    try {
      words = scan(text);
    } catch (e) {
      if (e instanceof ScanError) fatal(this.prog, EXIT_USAGE, e.message);
      throw e;
    }
    if (words.length === 0) throw new Exit(0);

    if (strict >= 0) {
      if (strict) ctx.setEnv('EXECLINE_STRICT', String(strict));
      else ctx.unsetEnv('EXECLINE_STRICT');
    } else {
      const v = ctx.env.get('EXECLINE_STRICT');
      if (v !== undefined && uint0Scan(v) === null) {
        warn(this.prog, 'invalid EXECLINE_STRICT value, unsetting it');
        ctx.unsetEnv('EXECLINE_STRICT');
      }
    }
    if (push >= 3) {
      const level = strict >= 0 ? strict : envStrict(ctx.env.get('EXECLINE_STRICT'));
      if (args.length < nmin) strictComplaint(this.prog, level, `too few arguments: expecting at least ${nmin} but got ${args.length}`);
      const n = Math.max(args.length, nmin);
      const bindings: Binding[] = [
        { key: '#', values: [String(args.length)] },
        { key: '0', values: [dollar0] },
        { key: '@', values: push === 4 ? args.slice(nmin) : args },
      ];
      for (let i = 0; i < n; i++) bindings.push({ key: String(i + 1), values: [i < args.length ? args[i] : ''] });
      words = substitute(words, bindings);
      if (words.length === 0) throw new Exit(0);
      return words;
    }
    if (push === 2) ctx.pushPositionals();
    if (push >= 1) {
      // One merge for the whole frame (env_merge in one pass, as the reference's el_pushenv).
      ctx.mergeEnv([['#', String(args.length)], ['0', dollar0], ...args.map((a, i): [string, string] => [String(i + 1), a])]);
    }
    return words;
  },
});

/** execlineb's reading of EXECLINE_STRICT when no -q/-w/-W is given: unset counts as 1. */
function envStrict(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = parseInt(v, 10);
  return Number.isNaN(n) ? 1 : Math.min(Math.max(n, 0), 2);
}

// The loop forstdin runs, which forbacktickx runs too on its block's output: elements read from a
// source, the body run for each with the element in a variable, and their shared options.
import type { Context } from './context.js';
import { options, parseUint } from './command.js';
import { Exit, EXIT_SYS, fatalSys, usage } from './errors.js';
import type { Command } from './command.js';
import {
  Pool,
  ReadError,
  Splitter,
  cString,
  defaultCodeTest,
  iterationArgv,
  keepsGoing,
  loopCode,
  runIteration,
  scanCodes,
  withVariable,
  type CodeTest,
  type Source,
  type SplitMode,
} from './loops.js';

/** The most loop bodies forstdin runs at a time. */
const MAXPAR = 10000;

/** forstdin's settings, also what forbacktickx hands it. */
export interface ForstdinSettings {
  mode: SplitMode;
  test: CodeTest;
  maxpar: number;
  doimport: boolean;
}

/** The loop itself: reads elements from src and runs body for each; ends by throwing Exit or Die. */
export async function forstdinLoop(ctx: Context, prog: string, variable: string, body: string[], src: Source, set: ForstdinSettings): Promise<never> {
  const split = new Splitter(src, set.mode, set.mode.delim === '' ? 'netstring_get' : 'skagetlnsep');
  const run = iterationArgv(body, variable, set.doimport);
  const pool = set.maxpar > 1 ? new Pool(set.maxpar) : null;
  let eofcode = 1;
  for (;;) {
    let value: string | null;
    try {
      value = await split.next();
    } catch (e) {
      if (e instanceof ReadError) fatalSys(prog, EXIT_SYS, e.what, e.code);
      throw e;
    }
    if (value === null) break;
    eofcode = 0;
    const child = withVariable(ctx, variable, cString(value));
    if (pool) await pool.add(child, prog, run, body[0]);
    else {
      const s = await runIteration(child, prog, run, body[0]);
      if (!keepsGoing(set.test, s)) throw new Exit(loopCode(s));
    }
  }
  if (pool) await pool.drain();
  throw new Exit(eofcode);
}

/** Reads forstdin's options (also forbacktickx's, which shares them). */
export function splitOptions(cmd: Command, argv: string[], spec: string): { set: ForstdinSettings; index: number } {
  const { opts, index } = options(cmd, argv, spec);
  const set: ForstdinSettings = { mode: { delim: '\n', chomp: true, crunch: false }, test: defaultCodeTest(), maxpar: 1, doimport: false };
  for (const o of opts) {
    switch (o.key) {
      case 'p':
        set.maxpar = MAXPAR;
        break;
      case 'P': {
        const n = parseUint(o.arg);
        if (n === null) usage(cmd.prog, cmd.usage);
        set.maxpar = n;
        break;
      }
      case 'N':
      case 'n':
        set.mode.chomp = o.key === 'n';
        break;
      case 'C':
      case 'c':
        set.mode.crunch = o.key === 'C';
        break;
      case '0':
        set.mode.delim = '\0';
        break;
      case 'd':
        set.mode.delim = o.arg;
        break;
      case 'o':
      case 'x': {
        const codes = scanCodes(o.arg);
        if (!codes) usage(cmd.prog, cmd.usage);
        set.test = { codes, breakList: o.key === 'x', given: true };
        break;
      }
      default:
        set.doimport = o.key === 'E';
    }
  }
  // -P: minimum 1, maximum 10000 (upstream 2.9.7's forstdin; -p is -P 10000)
  set.maxpar = Math.min(Math.max(set.maxpar, 1), MAXPAR);
  return { set, index };
}

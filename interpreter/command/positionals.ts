// The positional parameters as the commands written for execline scripts read them (shift,
// runblock, dollarat, elgetopt): $# and $0, $1... from the environment, with the reference's
// messages when the frame is missing or broken.
import type { Context } from './context.js';
import { EXIT_USAGE, fatal } from './errors.js';
import { uint0Scan } from '../toolkit/numbers.js';

/** The variables that make a frame of positional parameters, as el_pushenv's list. */
export const POSITIONAL_PREFIXES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '#'];

/** $# as uint0_scan reads it; dies "# not set" or "invalid $#" (100). */
export function sharpOf(ctx: Context, prog: string): number {
  const text = ctx.env.get('#');
  if (text === undefined) fatal(prog, EXIT_USAGE, '# not set');
  const n = uint0Scan(text);
  if (n === null) fatal(prog, EXIT_USAGE, 'invalid $#');
  return n;
}

/** Positional parameter k ($k); dies "k not set" (100) when it is missing. */
export function positional(ctx: Context, prog: string, k: number): string {
  const x = ctx.env.get(String(k));
  if (x === undefined) fatal(prog, EXIT_USAGE, `${k} not set`);
  return x;
}

// The positional parameters as the commands written for execline scripts read them (shift,
// runblock, dollarat, elgetopt): $# and $0, $1... from the environment, with the reference's
// messages when the frame is missing or broken.
import { EXIT_USAGE, fatal } from './errors.js';
import { uint0Scan } from '../toolkit/numbers.js';
import type { State } from '../runtime/state.js';

/** $# as uint0_scan reads it; dies "# not set" or "invalid $#" (100). */
export function sharpOf(st: State, prog: string): number {
  const text = st.env.get('#');
  if (text === undefined) fatal(prog, EXIT_USAGE, '# not set');
  const n = uint0Scan(text);
  if (n === null) fatal(prog, EXIT_USAGE, 'invalid $#');
  return n;
}

/** Positional parameter k ($k); dies "k not set" (100) when it is missing. */
export function positional(st: State, prog: string, k: number): string {
  const x = st.env.get(String(k));
  if (x === undefined) fatal(prog, EXIT_USAGE, `${k} not set`);
  return x;
}

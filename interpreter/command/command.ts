// The shape every command has: its names, the name its messages carry, its usage line, and one
// run function that reads its options, validates, acts on the state, and returns the argv to
// continue with (the continuation). Dying is throwing Die; ending is throwing Exit.
import { usage } from './errors.js';
import { getopt, type Opt } from './getopt.js';
import type { State } from '../runtime/state.js';

export interface Command {
  /** Names it answers to (the first is the canonical one). */
  names: string[];
  /** The name in its messages (the reference's PROG). */
  prog: string;
  /** The usage line, after "prog: usage: ". */
  usage: string;
  /** Runs on the state; returns the next argv. */
  run(st: State, argv: string[]): string[] | Promise<string[]>;
}

/** A command in the table: its names, known at once, and its module, loaded on first use. */
export interface CommandEntry {
  names: string[];
  load: () => Promise<Command>;
}

export function defineCommand(c: Command): Command {
  return c;
}

/** getopt that dies with the command's usage line on a bad option. */
export function options(cmd: Command, argv: readonly string[], spec: string): { opts: Opt[]; index: number } {
  const r = getopt(argv, spec);
  if (!r) usage(cmd.prog, cmd.usage);
  return r;
}

/** Parses an unsigned decimal integer as skalibs' uint_scan does (whole word, digits only). */
export function parseUint(s: string): number | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

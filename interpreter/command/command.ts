// The shape every command has: its names, the name its messages carry, its usage line, and one
// run function that reads its options, validates, acts on the state, and returns the argv to
// continue with (the continuation). Dying is throwing Die; ending is throwing Exit.
import type { Context } from './context.js';
import { EXIT_USAGE, fatal, usage } from './errors.js';
import { uint0Scan } from '../toolkit/numbers.js';
import { getopt, type Opt } from './getopt.js';

export interface Command {
  /** Names it answers to (the first is the canonical one). */
  names: string[];
  /** The name in its messages (the reference's PROG). */
  prog: string;
  /** The usage line, after "prog: usage: ". */
  usage: string;
  /** Runs on the state; returns the next argv. */
  run(ctx: Context, argv: string[]): string[] | Promise<string[]>;
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

/** A variable name the commands accept: not empty, no '='. */
export function validVariable(name: string): boolean {
  return name.length > 0 && !name.includes('=');
}

/** Dies "invalid variable name" (100) unless validVariable(name). */
export function requireVariable(prog: string, name: string): void {
  if (!validVariable(name)) fatal(prog, EXIT_USAGE, 'invalid variable name');
}

/** skalibs' uint0_scan (the whole word, decimal, at most UINT_MAX); see toolkit/numbers.ts. */
export function parseUint(s: string): number | null {
  return uint0Scan(s);
}

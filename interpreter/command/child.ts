// What the block-running commands share: run a block as a child and read its status the way
// execline reports it (exitcodes.html).
import { Die, Exit, strerror, warn } from './errors.js';
import { runChild, type ChildResult } from '../runtime/trampoline.js';
import type { ChildStatus } from '../runtime/exec.js';
import { realFd, type State } from '../runtime/state.js';
import { childProcess } from '../runtime/lazy.js';

/** wait_status: the exit code, or 256 + the signal number for a killed child (the ? variable). */
export function waitStatus(s: ChildStatus): number {
  return s.signal ? 256 + s.signal : s.code;
}

/** wait_estatus: the exit code, or 128 + the signal number. */
export function estatus(s: ChildStatus): number {
  return s.signal ? 128 + s.signal : s.code;
}

/** The exit code that passes a child's failure up (exitcodes.html): 128+ is squashed to 128. */
export function approximate(s: ChildStatus): number {
  return s.signal ? 128 + s.signal : s.code >= 128 ? 128 : s.code;
}

/** Runs a block and dies with "unable to spawn" (111) if it cannot be started. */
export async function runBlockOrDie(st: State, argv: string[]): Promise<ChildStatus> {
  const r: ChildResult = await runChild(st, argv);
  if ('spawnError' in r) throw new Die(111, `${st.prog}: fatal: unable to spawn ${argv[0] ?? ''}: ${strerror({ code: r.spawnError })}`);
  return r;
}

/** Runs a block; if it cannot be started, warns and reports 127 (el_execsequence). */
export async function runBlockOrWarn(st: State, argv: string[]): Promise<ChildStatus> {
  const r: ChildResult = await runChild(st, argv);
  if ('spawnError' in r) {
    warn(st.prog, `unable to spawn ${argv[0] ?? ''}: ${strerror({ code: r.spawnError })}`);
    return { code: 127, signal: 0 };
  }
  return r;
}

/** The continuation after a block: an empty rest means exit 0. */
export function continueWith(rest: string[]): string[] {
  if (rest.length === 0) throw new Exit(0);
  return rest;
}

/**
 * A child that only reports, as the reference's grandchild does when it cannot exec (background
 * -d, pipeline -d): it still has a pid for !, and its message comes from another process, at its
 * own pace.
 */
export function failingChild(st: State, message: string, code: number): number {
  const err = realFd(st, 2);
  const cp = childProcess().spawn('/bin/sh', ['-c', 'printf "%s\\n" "$1" >&2; exit "$2"', 'sh', message, String(code)], {
    stdio: ['ignore', 'ignore', err < 0 ? 'ignore' : err],
  });
  cp.on('error', () => {});
  cp.unref();
  return cp.pid ?? 0;
}

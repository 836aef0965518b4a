// Pipes between a command and the rest of its chain (pipeline, piperw, heredoc): a new pipe with
// the reference's message when it cannot be made, and a virtual fd made a real fd the state owns.
import { closeSync } from 'node:fs';
import { EXIT_SYS, fatalSys } from './errors.js';
import { setFd, type State } from '../runtime/state.js';

/** Closes a real fd this state opened once no virtual fd refers to it any more. */
function release(st: State, real: number): void {
  const k = st.opened.indexOf(real);
  if (k < 0) return;
  for (const v of st.fds.values()) if (v === real) return;
  st.opened.splice(k, 1);
  try {
    closeSync(real);
  } catch {
    /* already closed */
  }
}

/**
 * A new pipe (both ends close-on-exec), or the reference's fatal "unable to <what>" (111): heredoc
 * says "pipe", piperw "create pipe".
 */
export async function openPipe(prog: string, what: 'pipe' | 'create pipe'): Promise<[number, number]> {
  const sys = await import('../platform/index.js');
  try {
    return sys.pipe();
  } catch (e) {
    fatalSys(prog, EXIT_SYS, what, e);
  }
}

/** Makes virtual fd `fd` the real fd `real`, which this state now owns. */
export function mapFd(st: State, fd: number, real: number): void {
  const old = st.fds.get(fd);
  st.opened.push(real);
  setFd(st, fd, real);
  if (old !== undefined && old !== null && old !== real) release(st, old);
}

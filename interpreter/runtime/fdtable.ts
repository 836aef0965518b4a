// The fd table as the program will see it, queried without touching the live process: which
// virtual fds are open, the lowest free ones (where the reference's open() or pipe() would land),
// and the open-files limit that bounds dup2 targets. Node's own fds (its event loop, its internal
// pipes, the files our commands opened) are not part of the program's table.
import { RLIMIT, nofileSoftFromProc } from '../platform/linux.js';
import { fstatSync, openSync } from 'node:fs';
import type { State } from './state.js';

export const RLIMIT_NOFILE = RLIMIT.NOFILE;

/** Real fds that our commands opened in this process (never part of an inherited table). */
const ours = new Set<number>();

/** Opens a file for the program's table: close-on-exec in this process, recorded as ours. */
export function openForTable(st: State, path: Buffer, flags: number): number {
  const fd = openSync(path, flags, 0o666);
  ours.add(fd);
  st.opened.push(fd);
  return fd;
}

function realOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** True for an fd >= 3 that the program would inherit as things stand: one the process inherited. */
function inheritedOpen(st: State, fd: number): boolean {
  if (ours.has(fd)) return false;
  return st.inherited.includes(fd) && realOpen(fd);
}

/** Is virtual fd v open in the program's table? */
export function isOpen(st: State, v: number): boolean {
  const r = st.fds.get(v);
  if (r === null) return false;
  if (r !== undefined) return realOpen(r);
  if (v <= 2) return realOpen(v);
  return inheritedOpen(st, v);
}

/** The n lowest virtual fds that are free, in increasing order. */
export function lowestFree(st: State, n: number): number[] {
  const out: number[] = [];
  for (let v = 0; out.length < n; v++) if (!isOpen(st, v)) out.push(v);
  return out;
}

/** The soft RLIMIT_NOFILE the program's process would have at this point of the chain. */
export function nofileLimit(st: State): number {
  for (let i = st.rlimits.length - 1; i >= 0; i--) {
    const l = st.rlimits[i];
    if (l.resource === RLIMIT_NOFILE) return l.soft > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(l.soft);
  }
  return nofileSoftFromProc() ?? 1024;
}

/** Can v be a dup2 target (below the open-files limit)? */
export function validTarget(st: State, v: number): boolean {
  return v < nofileLimit(st);
}

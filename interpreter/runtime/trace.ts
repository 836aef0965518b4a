// EXECLINE_TRACE=1: sh's `set -x` for execline. While the variable is "1" in a (virtual) process's
// environment, each step is printed to that process's fd 2 before it runs: every one of our
// commands as the trampoline is about to run it (chain()), and the program a chain ends with as
// it is exec'd or spawned (exec.ts). A line is
//
//     <two spaces per level>+ <the argv, as formatArgv writes it>
//
// with the words already substituted (it is the argv the step gets), blocks written back as
// `{ ... }`, whitespace inside quotes and control bytes as escapes (`"a b"`, `"\n"`), so a step
// is always one line that execlineb reads back as the same argv. The level is how deep the step's process is: 0 for the process
// the user started, one more for each block (virtual child, spawned program, Node child) it
// runs in. A Node child learns its level from `--trace L` after `--state-fd N` on its command
// line (exec.ts selfPlan); `L+` says its first step was printed already, by the virtual child
// that became this process (getpid, s6-setsid inside a block).
//
// A tryexec in a real process prints its program before the kernel judges it (it cannot after),
// so an attempt that fails and falls back is printed too; in a virtual child tryexec judges in
// advance and only the program that runs is printed.
//
// The variable is read from the state's environment at every step (one Map lookup when off), so
// `export EXECLINE_TRACE 1` turns tracing on from the next step and `unexport EXECLINE_TRACE`
// off; any other value (unset, empty, "0", "yes") is off. Tracing never changes what runs: a
// failed write is ignored, nothing is written when fd 2 is closed, and a write that could raise
// SIGPIPE (fd 2 a pipe or socket) is made with SIGPIPE ignored for its duration, or skipped
// when that cannot be done without a trace of it (SIGPIPE blocked or trapped in this process).
import { fstatSync, writeSync } from 'node:fs';
import { toBuffer } from '../language/bytes.js';
import { formatArgv } from '../language/quote.js';
import * as sys from '../platform/index.js';
import { realFd, type State } from './state.js';

/** The variable that turns tracing on, when its value is exactly "1". */
export const TRACE_VAR = 'EXECLINE_TRACE';

/** Whether the state traces its steps: its environment holds EXECLINE_TRACE=1. */
export function tracing(st: State): boolean {
  return st.env.get(TRACE_VAR) === '1';
}

// This process's level, and whether its first step was printed already (by the virtual child it
// continues): from `--trace L` or `--trace L+` after `--state-fd N`, as selfPlan writes it.
let base = 0;
let firstPrinted = false;
{
  const a = process.argv;
  if (a[2] === '--state-fd' && a[4] === '--trace') {
    const m = /^(\d{1,6})(\+?)$/.exec(a[5] ?? '');
    if (m) {
      base = Number(m[1]);
      firstPrinted = m[2] === '+';
    }
  }
}

/** Virtual children running inside each other in this process now (runChild). */
let nesting = 0;

/** The level of the (virtual) process running now. */
export function traceLevel(): number {
  return base + nesting;
}

/** runChild: a virtual child starts (enter) or ends (leave). */
export function enterChild(): void {
  nesting++;
}
export function leaveChild(): void {
  nesting--;
}

/**
 * The words a Node child gets after `--state-fd N` (exec.ts selfPlan): its level, when it is
 * not 0, and whether the first step it runs was printed already. Always given (tracing may be
 * turned on inside the child).
 */
export function traceArgs(level: number, printed: boolean): string[] {
  return level > 0 || printed ? ['--trace', `${level}${printed ? '+' : ''}`] : [];
}

/**
 * Continuations whose first step was printed already: a command of a virtual child that
 * returned selfArgv(its own argv) to be run again in a process of its own.
 */
const printedFirst = new WeakSet<string[]>();

/** Marks `self` (a SELF argv) as the continuation of a step already printed. */
export function markPrinted(self: string[]): void {
  printedFirst.add(self);
}

/** Whether `self` (a SELF argv) continues a step already printed. */
export function wasPrinted(self: string[]): boolean {
  return printedFirst.has(self);
}

const SIGPIPE = sys.SIGNALS.PIPE;

/** How a step's words are written: control bytes as escapes, whitespace inside quotes. */
export const TRACE_QUOTING = { visible: true, quoteBlanks: true } as const;

/**
 * Prints a step at a level to the state's fd 2, if the state traces (the caller may have checked
 * already). Never throws; never raises a signal.
 */
export function traceStep(st: State, argv: readonly string[], level: number): void {
  if (firstPrinted) {
    // The first step of this Node child was printed by the virtual child it continues.
    firstPrinted = false;
    return;
  }
  if (!tracing(st)) return;
  const fd = realFd(st, 2);
  if (fd < 0) return;
  let text: Buffer;
  try {
    text = toBuffer(`${'  '.repeat(Math.max(0, level))}+ ${formatArgv(argv, TRACE_QUOTING)}\n`);
  } catch {
    return; // (a word with a NUL cannot be: argv words come from C strings)
  }
  let pipe = false;
  try {
    const s = fstatSync(fd);
    pipe = s.isFIFO() || s.isSocket();
  } catch {
    return; // not open after all
  }
  let old = -1;
  if (pipe) {
    // A broken pipe would raise SIGPIPE, which kills by default: ignore it for the write. A
    // blocked one would stay pending (and reach the program); a trapped one would run the trap.
    if ((st.blocked >> BigInt(SIGPIPE - 1)) & 1n) return;
    if (process.listenerCount(sys.nodeSignalName(SIGPIPE) ?? 'SIGPIPE') > 0) return;
    try {
      old = sys.setSignal(SIGPIPE, sys.SIG_IGN);
    } catch {
      return;
    }
  }
  try {
    let off = 0;
    for (let tries = 0; off < text.length && tries < 64; tries++) off += writeSync(fd, text, off, text.length - off);
  } catch {
    /* tracing is best effort: a full or broken stderr loses the line, nothing else */
  } finally {
    if (old === sys.SIG_DFL || old === sys.SIG_IGN) {
      try {
        sys.setSignal(SIGPIPE, old);
      } catch {
        /* as it was */
      }
    }
  }
}

// Children we started with the platform layer's spawn (vfork + exec, outside libuv): their exit
// statuses, read with waitpid. A wait that blocks the chain (foreground, if, a loop body) is a
// blocking waitpid, as in the C process; children the chain goes on beside (background,
// pipeline, trap, loops with -p) are Child objects, reaped when SIGCHLD arrives.
import { EventEmitter } from 'node:events';
import * as sys from '../platform/index.js';

import type { ChildStatus, Child as ChildView } from '../command/context.js';

export type { ChildStatus };

/** Decodes a raw wait status (waitpid(2)). */
export function decodeStatus(raw: number): ChildStatus {
  const sig = raw & 0x7f;
  if (sig === 0) return { code: (raw >> 8) & 0xff, signal: 0 };
  return { code: 128 + sig, signal: sig };
}

/**
 * A running child, shaped like the parts of Node's ChildProcess the commands use: pid, exitCode
 * and signalCode once it has ended, an 'exit' event (code, signal name), kill().
 */
export class Child extends EventEmitter implements ChildView {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  status: ChildStatus | null = null;
  /** False once unref'd: the event loop is not kept alive for it. */
  ref = true;
  constructor(readonly pid: number) {
    super();
  }

  /** Lets the process end without waiting for this child (background -d, a pipeline's block). */
  unref(): void {
    this.ref = false;
    reap();
  }

  kill(sig: NodeJS.Signals | number = 'SIGTERM'): boolean {
    try {
      process.kill(this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  /** Records the end (once) and tells the listeners. */
  settle(s: ChildStatus): void {
    if (this.status) return;
    this.status = s;
    if (s.signal) this.signalCode = sys.nodeSignalName(s.signal) ?? null;
    else this.exitCode = s.code;
    this.emit('exit', this.exitCode, this.signalCode);
  }

  /** The status once the child has ended. */
  ended(): Promise<ChildStatus> {
    if (this.status) return Promise.resolve(this.status);
    return new Promise((resolve) => this.once('exit', () => resolve(this.status!)));
  }
}

const watched = new Map<number, Child>();
let listening = false;
let keepAlive: NodeJS.Timeout | null = null;

function reap(): void {
  for (const [pid, c] of watched) {
    let r: [number, number] | null;
    try {
      r = sys.waitpid(pid, true);
    } catch {
      // ECHILD: reaped elsewhere (a blocking wait on every child); its status is lost.
      r = [pid, 0];
    }
    if (!r) continue;
    watched.delete(pid);
    c.settle(decodeStatus(r[1]));
  }
  if (![...watched.values()].some((c) => c.ref) && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
}

/**
 * Watches a child started with sys.spawn: its Child settles when it ends. SIGCHLD wakes the
 * event loop (libuv turns the signal into an event); a timer keeps the loop alive meanwhile,
 * since a signal listener alone does not.
 */
export function watch(pid: number): Child {
  if (!listening) {
    listening = true;
    process.on('SIGCHLD', reap);
  }
  const c = new Child(pid);
  watched.set(pid, c);
  keepAlive ??= setInterval(reap, 1 << 30);
  // It may have ended before the listener existed.
  setImmediate(reap);
  return c;
}

/** Blocks until pid ends (a blocking waitpid, as the C process does) and returns its status. */
export function waitFor(pid: number): ChildStatus {
  const w = watched.get(pid);
  if (w?.status) return w.status;
  const r = sys.waitpid(pid, false);
  const s = decodeStatus(r ? r[1] : 0);
  if (w) {
    watched.delete(pid);
    w.settle(s);
  }
  return s;
}

// ProcessState: the process as a value. Our commands change this value instead of the process,
// so that a chain of them runs in one Node process and a block can run on a copy of it (a
// virtual child) without leaking into its parent. The state reaches the real process only when
// an external program is run: in place (execve) or as a child (spawn).
import { scanPrefix } from '../toolkit/numbers.js';
import { RLIMIT, environBlock, openFds } from '../platform/linux.js';
import { closeSync, openSync } from 'node:fs';
import { fromNative } from '../language/bytes.js';
import type { Handover } from './handover.js';
import type { Child } from './children.js';

/** Credentials to take on before the external program runs (s6-setuidgid and friends). */
export interface Creds {
  uid?: number;
  gid?: number;
  groups?: number[];
}

/** One s6-setsid, applied to the real process at once (a virtual child becomes a real one first): what to do, how hard to insist (2 fatal, 1 warn, 0 quiet), the tty fd. */
export interface SessionStep {
  mode: 's' | 'b' | 'f' | 'g';
  insist: 0 | 1 | 2;
  ctty: number;
  prog: string;
}

/** A resource limit change (s6-softlimit). */
export interface Rlimit {
  resource: number;
  soft: bigint;
  hard: bigint;
}

export interface State {
  /** The environment, in order. Keys and values are byte strings. */
  env: Map<string, string>;
  /** The fd table as the program will see it: virtual fd -> real fd of this process, null = closed. */
  fds: Map<number, number | null>;
  /** Real fds this (virtual) process opened, closed when a virtual child ends. */
  opened: number[];
  creds: Creds | null;
  rlimits: Rlimit[];
  /** exec -a / -l: argv[0] for the next external program. */
  argv0: string | null;
  /** Name of the command currently running, for messages. */
  prog: string;
  /** True inside a virtual child: nothing may touch the real process for good. */
  virtual: boolean;
  /** Children started by background and friends, for wait. */
  children: Child[];
  /** Fds from 3 up this process inherited (open in the program's table unless fds says otherwise). */
  inherited: number[];
  /**
   * The PATH that finds the next program: the one in the environment this (virtual) process
   * image started with, i.e. before the last command changed it (`export PATH /x prog` still
   * finds prog with the old PATH, as under the reference, where export execs with the new
   * environment but searches its own). undefined: PATH unset.
   */
  searchPath: string | undefined;
  /** Signals the program gets ignored, and blocked (bit n-1 for signal n), as the caller left them. */
  ignored: bigint;
  blocked: bigint;
}

/** The state of this process as Node started it (without a handover: best effort from /proc). */
export function initialState(prog: string): State {
  return makeState(prog, readEnvironment(), inheritedFds());
}

const RLIMIT_NOFILE = RLIMIT.NOFILE;

/**
 * The state of the process a handover record describes (interpreter/runtime/handover.ts): its exact
 * environment, fd table (a closed 0, 1 or 2 stays closed; Node's /dev/null there is not the
 * program's), signal dispositions, and RLIMIT_NOFILE as the caller set it (Node raised the soft
 * one; the program gets the caller's back).
 */
export function handedOverState(prog: string, h: Handover, currentNofileSoft: bigint | null): State {
  const env = new Map<string, string>();
  for (const entry of h.env) {
    const eq = entry.indexOf('=');
    if (eq < 0) continue;
    const k = entry.slice(0, eq);
    if (!env.has(k)) env.set(k, entry.slice(eq + 1));
  }
  const st = makeState(
    prog,
    env,
    h.fds.filter((fd) => fd >= 3),
  );
  for (const fd of [0, 1, 2]) if (!h.fds.includes(fd)) st.fds.set(fd, null);
  st.ignored = h.ignored;
  st.blocked = h.blocked;
  st.rlimits = h.rlimits.slice();
  if (!st.rlimits.some((l) => l.resource === RLIMIT_NOFILE) && currentNofileSoft !== null && currentNofileSoft !== h.nofile.soft) {
    st.rlimits.unshift({ resource: RLIMIT_NOFILE, soft: h.nofile.soft, hard: h.nofile.hard });
  }
  return st;
}

/** A state with the given environment and nothing else changed (also for in-process harnesses). */
export function makeState(prog: string, env: Map<string, string>, inherited: number[] = []): State {
  return {
    env,
    fds: new Map(),
    opened: [],
    creds: null,
    rlimits: [],
    argv0: null,
    prog,
    virtual: false,
    children: [],
    inherited,
    searchPath: env.get('PATH'),
    ignored: 0n,
    blocked: 0n,
  };
}

const NODE_INTERNAL = /^anon_inode:/;

/**
 * The fds from 3 up that this process inherited from its parent. Node (libuv's
 * uv_disable_stdio_inheritance) sets close-on-exec on fds 0 to 15 at start-up, so an fd 3 given
 * by a supervisor would not reach the program: these are the fds to hand back. They are told
 * apart from Node's own fds, which also live there, by kind: Node's are anonymous inodes (epoll,
 * eventfd, io_uring) and pipes whose both ends it holds. (Node's reserved /dev/null is opened
 * after some twenty of those, so above 15: a /dev/null from 3 to 15 is inherited.)
 */
function inheritedFds(): number[] {
  const targets = new Map<number, string>();
  const count = new Map<string, number>();
  for (const [fd, t] of openFds()) {
    count.set(t, (count.get(t) ?? 0) + 1);
    if (fd >= 3) targets.set(fd, t);
  }
  // Node may hold NODE_EXTRA_CA_CERTS open (without close-on-exec) while it starts: not inherited.
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  const out: number[] = [];
  for (const [fd, t] of targets) {
    if (NODE_INTERNAL.test(t) || (ca && t === ca)) continue;
    if (t.startsWith('pipe:') && (count.get(t) ?? 0) > 1) continue;
    out.push(fd);
  }
  return out.sort((a, b) => a - b);
}

/**
 * The environment exactly as the process received it: bytes and order from /proc/self/environ.
 * process.env cannot serve: it decodes as UTF-8, and it hides variables with integer-like names
 * ("0", "1", the positional parameters), which read back as undefined.
 */
function readEnvironment(): Map<string, string> {
  const env = new Map<string, string>();
  const raw = environBlock();
  if (raw !== null) {
    for (const entry of raw.split('\0')) {
      if (!entry) continue;
      const eq = entry.indexOf('=');
      if (eq < 0) continue;
      const k = entry.slice(0, eq);
      if (!env.has(k)) env.set(k, entry.slice(eq + 1));
    }
    return env;
  }
  for (const k in process.env) env.set(fromNative(k), fromNative(process.env[k] as string));
  return env;
}

/** A copy for a virtual child: same attributes, separate tables. */
export function forkState(st: State): State {
  return {
    env: new Map(st.env),
    fds: new Map(st.fds),
    opened: [],
    creds: st.creds ? { ...st.creds, groups: st.creds.groups?.slice() } : null,
    rlimits: st.rlimits.slice(),
    argv0: null,
    prog: st.prog,
    virtual: true,
    children: [],
    inherited: st.inherited,
    searchPath: st.env.get('PATH'),
    ignored: st.ignored,
    blocked: st.blocked,
  };
}

/**
 * The program's fd table as exact [fd, real fd of this process] pairs: 0-2 unless closed, the
 * inherited fds, and every fd the script set up. What spawn and execve give the program, and
 * nothing else.
 */
export function fdTable(st: State): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const seen = new Set<number>();
  for (const v of [0, 1, 2, ...st.inherited]) {
    if (seen.has(v)) continue;
    seen.add(v);
    const r = st.fds.get(v);
    if (r === undefined) out.push([v, v]);
  }
  for (const [v, r] of st.fds) if (r !== null) out.push([v, r]);
  return out.sort((a, b) => a[0] - b[0]);
}

let devNull = -1;

/**
 * Points virtual fd v at real fd r (null: closes it). In a real process (not a virtual child) a
 * real fd no longer in the table is let go for real, as the reference's close would: a reader
 * must see end-of-file and a writer get SIGPIPE while the chain is still here. A real 0, 1 or 2
 * is replaced by /dev/null rather than closed, so Node never reuses the number.
 */
export function setFd(st: State, v: number, r: number | null): void {
  // The real fd v stood for: its mapping, or v itself if it is one of the process's own (0-2
  // or inherited); anything else was not open in the program's table.
  const m = st.fds.get(v);
  const old = m !== undefined ? (m ?? -1) : v <= 2 || st.inherited.includes(v) ? v : -1;
  st.fds.set(v, r);
  // (Only in a process that runs a chain for real: in-process test harnesses never load sys.)
  if (!sysModule || old < 0 || old === r) return;
  for (const [, x] of st.fds) if (x === old) return;
  if (st.virtual) {
    // A virtual child lets go only of what it opened itself (the rest is its parent's, which
    // still holds it): a file it closes is closed now, as in the C child (an exec of that file
    // must not meet ETXTBSY, a reader must see end-of-file).
    const j = st.opened.indexOf(old);
    if (j < 0) return;
    st.opened.splice(j, 1);
    try {
      closeSync(old);
    } catch {
      /* already gone */
    }
    return;
  }
  if (old <= 2 ? !st.fds.has(old) : st.inherited.includes(old) && !st.fds.has(old)) return;
  const k = st.opened.indexOf(old);
  if (k >= 0) st.opened.splice(k, 1);
  try {
    if (old <= 2) {
      if (devNull < 0) devNull = openSync('/dev/null', 'r+');
      sysSync().dup2(devNull, old);
    } else closeSync(old);
  } catch {
    /* already gone */
  }
}

let sysModule: typeof import('../platform/index.js') | null = null;

/** The platform layer, loaded synchronously (it is small). */
export function sysSync(): typeof import('../platform/index.js') {
  if (!sysModule) throw new Error('platform layer not loaded');
  return sysModule;
}

/** True in a process that runs a chain for real (main.ts loaded the platform layer), not in a test harness. */
export function realProcess(): boolean {
  return sysModule !== null;
}

/** Called once at start-up with the loaded platform layer. */
export function setSys(m: typeof import('../platform/index.js')): void {
  sysModule = m;
}

/** The real fd behind a virtual fd, or -1 when it is closed. */
export function realFd(st: State, fd: number): number {
  const r = st.fds.get(fd);
  return r === undefined ? fd : r === null ? -1 : r;
}

/**
 * The EXECLINE_STRICT level: 0, 1, or 2 (2 or more), as el_getstrict reads it with uint0_scan:
 * the leading decimal digits count even before garbage ("2x" is 2), nothing else does (" 2",
 * "+1" and "-1" are 0).
 */
export function strictness(st: State): number {
  const v = st.env.get('EXECLINE_STRICT');
  if (v === undefined) return 0;
  const [n, len] = scanPrefix(v);
  return len === 0 ? 0 : Math.min(n, 2);
}

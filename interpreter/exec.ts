// The two materializations of a State: in place (apply it to this process, then execve, so the
// PID stays and no interpreter remains) and as a child (spawn with the state, wait as the caller
// requires). Both find the program as execvp does and check it first, because Node's
// process.execve aborts the whole process on failure instead of returning an error.
import { accessSync, closeSync, constants as fsc, openSync, readSync, statSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants as osc } from 'node:os';
import { toBuffer, toNative, toNativeExact } from './bytes.js';
import { Die, strerror, warn } from './errors.js';
import type { SessionStep, State } from './state.js';

/** Where a program is looked for when PATH is unset (skalibs' default). */
export const DEFAULT_PATH = '/usr/bin:/bin';

export type Resolved = { path: string } | { code: string };

function checkFile(p: string): string | null {
  const b = toBuffer(p);
  let st;
  try {
    st = statSync(b);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
  if (!st.isFile()) return 'EACCES';
  try {
    accessSync(b, fsc.X_OK);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  return null;
}

/** Finds a program as execvp(3) does: a name with a slash is used as is, else PATH is searched. */
export function resolveProgram(name: string, env: Map<string, string>): Resolved {
  if (name.includes('/')) {
    const err = checkFile(name);
    return err ? { code: err } : { path: name };
  }
  const path = env.get('PATH') ?? DEFAULT_PATH;
  let seen = 'ENOENT';
  for (const dir of path.split(':')) {
    const p = (dir === '' ? '.' : dir) + '/' + name;
    const err = checkFile(p);
    if (!err) return { path: p };
    if (err === 'EACCES') seen = err;
  }
  return { code: seen };
}

/**
 * What the kernel would say to execve(path): null if it would run. Node cannot survive a failed
 * execve, so the format (ELF, or #! with an interpreter that exists) is checked beforehand.
 */
export function execFormatError(path: string, depth = 0): string | null {
  let fd: number;
  try {
    fd = openSync(toBuffer(path), 'r');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
  const head = Buffer.alloc(256);
  let n = 0;
  try {
    n = readSync(fd, head, 0, 256, 0);
  } catch {
    n = 0;
  } finally {
    closeSync(fd);
  }
  if (n >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return null;
  if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) {
    if (depth >= 4) return 'ELOOP';
    let line = head.subarray(2, n).toString('latin1');
    const nl = line.indexOf('\n');
    if (nl >= 0) line = line.slice(0, nl);
    const interp = line.replace(/^[ \t]+/, '').split(/[ \t]/)[0];
    if (!interp) return 'ENOEXEC';
    const err = checkFile(interp);
    if (err) return err;
    return execFormatError(interp, depth + 1);
  }
  return 'ENOEXEC';
}

function execMessage(prog: string, verb: string, name: string, code: string): Die {
  return new Die(code === 'ENOENT' ? 127 : 126, `${prog}: fatal: unable to ${verb} ${name}: ${strerror({ code })}`);
}

/** Resolves and checks a program; throws the reference's "unable to exec" Die on failure. */
export function findExecutable(prog: string, verb: string, name: string, env: Map<string, string>): string {
  const r = resolveProgram(name, env);
  if ('code' in r) throw execMessage(prog, verb, name, r.code);
  const f = execFormatError(r.path);
  if (f) throw execMessage(prog, verb, name, f);
  return r.path;
}

/**
 * The environment as Node's execve and spawn take it: an object. A plain object would list
 * integer-like keys ("0", "1", the positional parameters) first, so this is a Proxy that lists
 * the keys in the state's order, which is the order the program then sees, as with the reference.
 */
function envObject(env: Map<string, string>): { obj: Record<string, string>; exact: boolean } {
  const map = new Map<string, string>();
  let exact = true;
  for (const [k, v] of env) {
    const nk = toNativeExact(k);
    const nv = toNativeExact(v);
    if (nk === null || nv === null) exact = false;
    map.set(nk ?? toNative(k), nv ?? toNative(v));
  }
  const keys = [...map.keys()];
  const obj = new Proxy({} as Record<string, string>, {
    ownKeys: () => keys,
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && map.has(k) ? { value: map.get(k), enumerable: true, configurable: true, writable: true } : undefined,
    get: (_t, k) => (typeof k === 'string' ? map.get(k) : undefined),
    has: (_t, k) => typeof k === 'string' && map.has(k),
  });
  return { obj, exact };
}

const noop = () => {};

/** Applies the deferred fd table to this process (dup2 into place, clear close-on-exec, close). */
async function applyFds(st: State): Promise<void> {
  const handBack = st.inherited.filter((fd) => !st.fds.has(fd));
  if (st.fds.size === 0 && handBack.length === 0) return;
  const sys = await import('../chainloaders/sys/index.js');
  for (const fd of handBack) {
    try {
      sys.setCloexec(fd, false);
    } catch {
      /* closed since */
    }
  }
  if (st.fds.size === 0) return;
  let max = 2;
  for (const [t, r] of st.fds) max = Math.max(max, t, r ?? 0);
  const temps = new Map<number, number>();
  for (const [t, r] of st.fds) if (r !== null && r !== t && !temps.has(r)) temps.set(r, sys.dupCloexec(r, max + 1));
  for (const [t, r] of st.fds) {
    if (r === null) {
      try {
        closeSync(t);
      } catch {
        /* already closed */
      }
    } else if (r === t) sys.setCloexec(t, false);
    else sys.dup2(temps.get(r)!, t);
  }
}

/** s6-setsid's work, step by step, with its messages: fatal (-i), a warning (-I) or none (-q). */
function applySessionSteps(sys: typeof import('../chainloaders/sys/index.js'), steps: SessionStep[]): void {
  for (const step of steps) {
    const attempt = (call: string, f: () => void) => {
      try {
        f();
      } catch (e) {
        if (step.insist === 2) throw new Die(111, `${step.prog}: fatal: unable to ${call}: ${strerror(e)}`);
        if (step.insist === 1) warn(step.prog, `unable to ${call}: ${strerror(e)}`);
      }
    };
    if (step.mode === 's') attempt('setsid', () => sys.setsid());
    else {
      attempt('setpgid', () => sys.setpgid(0, 0));
      if (step.mode === 'f' || step.mode === 'g') {
        const SIGTTOU = 22;
        const old = step.mode === 'g' ? sys.setSignal(SIGTTOU, sys.SIG_IGN) : null;
        attempt('tcsetpgrp', () => sys.tcsetpgrp(step.ctty, process.pid));
        if (old !== null) sys.setSignal(SIGTTOU, old);
      }
    }
  }
}

/** Applies credentials, limits and session to this process (in place). */
async function applyAttributes(st: State): Promise<void> {
  if (st.session) {
    const sys = await import('../chainloaders/sys/index.js');
    if (st.session?.steps) applySessionSteps(sys, st.session.steps);
    else if (st.session) {
      const s = st.session;
      try {
        if (s.setsid) sys.setsid();
        else if (s.setpgid) sys.setpgid(0, 0);
        if (s.tty) sys.tcsetpgrp(0, sys.getpgrp());
      } catch (e) {
        if (!s.ignoreErrors) throw e;
      }
    }
  }
  const c = st.creds;
  if (c) {
    if (c.groups) process.setgroups!(c.groups);
    if (c.gid !== undefined) process.setgid!(c.gid);
    if (c.uid !== undefined) process.setuid!(c.uid);
  }
  // Limits last: Node itself should not run under them (an address-space limit would stop it).
  if (st.rlimits.length) {
    const sys = await import('../chainloaders/sys/index.js');
    for (const l of st.rlimits) sys.setrlimit(l.resource, l.soft, l.hard);
  }
}

/** Replaces this process with argv, with the state applied. Never returns. */
export async function execInPlace(st: State, argv: string[]): Promise<never> {
  const path = findExecutable(st.prog, 'exec', argv[0], st.env);
  const args = argv.slice();
  if (st.argv0 !== null) args[0] = st.argv0;
  try {
    await applyFds(st);
    await applyAttributes(st);
  } catch (e) {
    if (e instanceof Die) throw e;
    throw new Die(111, `${st.prog}: fatal: unable to set up the process for ${argv[0]}: ${strerror(e)}`);
  }
  // Node ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across execve; a
  // caught one goes back to its default, so catching them now gives the program the default.
  process.on('SIGPIPE', noop);
  process.on('SIGXFSZ', noop);
  const { obj, exact } = envObject(st.env);
  const nargs = args.map((a) => toNativeExact(a));
  const npath = toNativeExact(path);
  if (!exact || npath === null || nargs.some((a) => a === null)) {
    const sys = await import('../chainloaders/sys/index.js');
    const envp = [...st.env].map(([k, v]) => toBuffer(`${k}=${v}`));
    // As Node's own execve does: stdin, stdout and stderr must survive the exec.
    for (const fd of [0, 1, 2]) {
      try {
        sys.setCloexec(fd, false);
      } catch {
        /* not open */
      }
    }
    try {
      sys.execveRaw(toBuffer(path), args.map(toBuffer), envp);
    } catch (e) {
      throw execMessage(st.prog, 'exec', argv[0], (e as NodeJS.ErrnoException).code ?? 'EACCES');
    }
  }
  process.execve!(npath!, nargs as string[], obj);
  throw new Die(126, `${st.prog}: fatal: unable to exec ${argv[0]}`);
}

/** How a child ended. */
export interface ChildStatus {
  code: number;
  /** Signal number when the child was killed, else 0. */
  signal: number;
}

function stdioFor(st: State): StdioOptions {
  let max = 2;
  for (const t of st.fds.keys()) max = Math.max(max, t);
  for (const t of st.inherited) max = Math.max(max, t);
  const stdio: Array<number | 'ignore'> = [];
  for (let i = 0; i <= max; i++) {
    const r = st.fds.get(i);
    const open = i <= 2 || st.inherited.includes(i);
    stdio.push(r === undefined ? (open ? i : 'ignore') : r === null ? 'ignore' : r);
  }
  return stdio as StdioOptions;
}

function spawnOptions(st: State, argv0: string) {
  const { obj } = envObject(st.env);
  return {
    argv0: toNative(argv0),
    env: obj,
    stdio: stdioFor(st),
    uid: st.creds?.uid,
    gid: st.creds?.gid,
    detached: !!st.session?.setsid,
  };
}

/** Runs an external program as a child with the state and waits for it. */
export function spawnWait(st: State, path: string, argv: string[]): ChildStatus {
  const r = spawnSync(toNative(path), argv.slice(1).map(toNative), spawnOptions(st, st.argv0 ?? argv[0]));
  if (r.error) throw r.error;
  if (r.signal) return { code: 128 + (osc.signals[r.signal] ?? 0), signal: osc.signals[r.signal] ?? 0 };
  return { code: r.status ?? 0, signal: 0 };
}

/** Starts an external program as a child with the state, without waiting. */
export function spawnNoWait(st: State, path: string, argv: string[]): ChildProcess {
  const cp = spawn(toNative(path), argv.slice(1).map(toNative), spawnOptions(st, st.argv0 ?? argv[0]));
  cp.on('error', noop);
  return cp;
}

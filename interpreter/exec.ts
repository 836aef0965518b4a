// The two materializations of a State: in place (apply it to this process, then execve, so the
// PID stays and no interpreter remains) and as a child (spawn with the state, wait as the caller
// requires). Both find the program as execvp does and check it first, because Node's
// process.execve aborts the whole process on failure instead of returning an error.
import { accessSync, closeSync, constants as fsc, openSync, readFileSync, readSync, statSync, readdirSync, readlinkSync } from 'node:fs';
import { childProcess } from './lazy.js';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { constants as osc } from 'node:os';
import { toBuffer, toNative, toNativeExact } from './bytes.js';
import { Die, strerror, warn } from './errors.js';
import { getSelfPath } from './self.js';
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
  const handBack = st.inherited.filter((fd) => fd < 16 && !st.fds.has(fd));
  const moves = [...st.fds].filter(([, r]) => r !== null) as Array<[number, number]>;
  // Closing needs no libc call: below 3 it is a plain close; from 3 on, an fd the program would
  // not get anyway (close-on-exec: Node's own, ours, the inherited ones not handed back) is left
  // alone (closing one of Node's would break its exit hooks), and only an fd that would leak
  // through exec is closed.
  const closes = [...st.fds].filter(([t, r]) => r === null && (t <= 2 || (t >= 16 && !closeOnExec(t)))).map(([t]) => t);
  if (moves.length === 0 && handBack.length === 0) {
    for (const t of closes) closeQuietly(t);
    return;
  }
  const sys = await import('../chainloaders/sys/index.js');
  for (const fd of handBack) {
    try {
      sys.setCloexec(fd, false);
    } catch {
      /* closed since */
    }
  }
  let max = 2;
  for (const [t, r] of st.fds) max = Math.max(max, t, r ?? 0);
  const temps = new Map<number, number>();
  for (const [t, r] of moves) if (r !== t && !temps.has(r)) temps.set(r, sys.dupCloexec(r, max + 1));
  for (const t of closes) closeQuietly(t);
  for (const [t, r] of moves) {
    if (r === t) sys.setCloexec(t, false);
    else sys.dup2(temps.get(r)!, t);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}

/** True if fd is open with close-on-exec (or not open at all): exec will not pass it on. */
function closeOnExec(fd: number): boolean {
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return !m || (parseInt(m[1], 8) & 0o2000000) !== 0;
  } catch {
    return true;
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
}

let caSettled = false;

/**
 * Node reads the NODE_EXTRA_CA_CERTS file on a thread of its own while it starts, through an fd
 * without close-on-exec: a program started meanwhile would inherit it, and closing it under the
 * thread makes Node warn. Asking for those certificates waits for that thread. Done once, before
 * the first program is started, and only when the variable names a file.
 */
export function settleNodeStartup(): void {
  if (caSettled) return;
  caSettled = true;
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!ca) return;
  try {
    statSync(ca);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tls = require('node:tls') as { getCACertificates?: (type: string) => unknown };
    tls.getCACertificates?.('extra');
  } catch {
    /* no such file, or an older Node: nothing to wait for */
  }
}

function fdNames(): string[] {
  try {
    return readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
}


/**
 * Closes every fd that would leak into the program: open without close-on-exec, yet neither
 * inherited nor given to it by the script. Reads /proc, so it needs no libc call.
 */
function closeStrayFds(st: State): void {
  const names = fdNames();
  const keep = new Set<number>([0, 1, 2, ...st.inherited, ...st.fds.keys()]);
  for (const n of names) {
    const fd = Number(n);
    if (keep.has(fd)) continue;
    let info: string;
    try {
      info = readFileSync(`/proc/self/fdinfo/${n}`, 'latin1');
    } catch {
      continue;
    }
    const m = /flags:\s*([0-7]+)/.exec(info);
    if (m && (parseInt(m[1], 8) & 0o2000000) === 0) closeQuietly(fd);
  }
}

/** The bytes execve copies onto the new stack: the file name, every argument and variable. */
function argvBytes(path: string, args: string[], env: Map<string, string>): number {
  let n = path.length + 1;
  for (const a of args) n += a.length + 1;
  for (const [k, v] of env) n += k.length + v.length + 2;
  return n;
}

/**
 * The room the kernel gives argv and envp (fs/exec.c): a quarter of the stack limit, at most
 * 6 MiB and at least 128 KiB, less one pointer per string. Past it execve fails with E2BIG, and
 * a failed process.execve aborts Node, so the check is made before.
 */
function argSpace(strings: number): number {
  let stack = 8 * 1024 * 1024;
  try {
    const m = /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    if (m) stack = m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    /* keep the usual default */
  }
  const limit = Math.max(Math.min(stack / 4, 6 * 1024 * 1024), 128 * 1024);
  return limit - 8 * Math.max(strings, 1);
}

/** Replaces this process with argv, with the state applied. Never returns. */
export async function execInPlace(st: State, argv: string[]): Promise<never> {
  const path = findExecutable(st.prog, 'exec', argv[0], st.env);
  const args = argv.slice();
  if (st.argv0 !== null) args[0] = st.argv0;
  // A failed process.execve aborts Node; the kernel refuses any single argument or environment
  // string over MAX_ARG_STRLEN (32 pages) with E2BIG (a big backtick value, for instance).
  if (args.some((a) => a.length >= 131072) || [...st.env].some(([k, v]) => k.length + v.length + 1 >= 131072)) {
    throw execMessage(st.prog, 'exec', argv[0], 'E2BIG');
  }
  if (argvBytes(path, args, st.env) > argSpace(args.length + st.env.size)) throw execMessage(st.prog, 'exec', argv[0], 'E2BIG');
  // Node ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across execve; a
  // caught one goes back to its default, so catching them now gives the program the default.
  // (Before the fds are moved: libuv's signal machinery uses fds that a dup2 may replace.)
  process.on('SIGPIPE', noop);
  process.on('SIGXFSZ', noop);
  settleNodeStartup();
  try {
    await applyFds(st);
    closeStrayFds(st);
    await applyAttributes(st);
  } catch (e) {
    if (e instanceof Die) throw e;
    throw new Die(111, `${st.prog}: fatal: unable to set up the process for ${argv[0]}: ${strerror(e)}`);
  }
  const { obj, exact } = envObject(st.env);
  const nargs = args.map((a) => toNativeExact(a));
  const npath = toNativeExact(path);
  // Node's own execve runs its exit hooks first, which abort once a dup2 has landed on one of
  // its internal fds (>= 3), and it refuses a closed stdin/stdout/stderr: use the raw call then.
  const rawFds = [...st.fds].some(([t, r]) => (t > 2 && r !== null) || (t <= 2 && r === null));
  // Resource limits are set last, between preparing a raw execve and making it: Node itself
  // must not run under them (an address-space limit would make its next allocation fail).
  if (!exact || rawFds || st.rlimits.length || npath === null || nargs.some((a) => a === null)) {
    const sys = await import('../chainloaders/sys/index.js');
    const envp = [...st.env].map(([k, v]) => toBuffer(`${k}=${v}`));
    // As Node's own execve does: stdin, stdout and stderr must survive the exec.
    for (const fd of [0, 1, 2]) {
      if (st.fds.get(fd) === null) continue;
      try {
        sys.setCloexec(fd, false);
      } catch {
        /* not open */
      }
    }
    try {
      const go = sys.prepareExecve(toBuffer(path), args.map(toBuffer), envp);
      try {
        for (const l of st.rlimits) sys.setrlimit(l.resource, l.soft, l.hard);
      } catch (e) {
        throw new Die(111, `${st.prog}: fatal: unable to setrlimit: ${strerror(e)}`);
      }
      go();
    } catch (e) {
      if (e instanceof Die) throw e;
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

/**
 * Whether spawn cannot express the state: supplementary groups (libuv drops them when it sets a
 * uid or gid), resource limits, sessions, closed fds 0-2 (spawn would give /dev/null). Such a
 * child is started as a Node helper that applies the state in place and execs the program.
 */
export function needsHelper(st: State): boolean {
  return st.creds !== null || st.rlimits.length > 0 || st.session !== null || [0, 1, 2].some((i) => st.fds.get(i) === null);
}

const HELPER_FLAG = '--exec-state';

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('latin1');

/** The helper's command line: its node, our bundle, the state, the program. */
function helperCommand(st: State, path: string, argv: string[]): { file: string; args: string[]; stdio: StdioOptions } {
  const stdio = stdioFor(st) as Array<number | 'ignore'>;
  const keep: number[] = [];
  const close: number[] = [];
  stdio.forEach((x, i) => {
    if (x === 'ignore') {
      if (i <= 2) close.push(i);
    } else if (i >= 3) keep.push(i);
  });
  const meta = {
    prog: st.prog,
    argv0: st.argv0 ?? argv[0],
    creds: st.creds,
    rlimits: st.rlimits.map((l) => [l.resource, String(l.soft), String(l.hard)]),
    session: st.session,
    keep,
    close,
    argc: argv.length,
  };
  const self = getSelfPath() || process.argv[1];
  const args = [self, HELPER_FLAG, b64(JSON.stringify(meta)), b64(path), ...argv.slice(1).map(b64), ...[...st.env].map(([k, v]) => b64(`${k}=${v}`))];
  return { file: process.execPath, args, stdio };
}

/** The helper side: rebuilds the state from its command line, applies it here, and execs. */
export async function execState(args: string[], base: State): Promise<never> {
  const meta = JSON.parse(unb64(args[0]));
  const path = unb64(args[1]);
  const argv = [path, ...args.slice(2, 1 + meta.argc).map(unb64)];
  const env = new Map<string, string>();
  for (const e of args.slice(1 + meta.argc).map(unb64)) {
    const eq = e.indexOf('=');
    env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const fds = new Map<number, number | null>();
  for (const fd of meta.keep as number[]) fds.set(fd, fd);
  for (const fd of meta.close as number[]) fds.set(fd, null);
  const st: State = {
    ...base,
    env,
    fds,
    inherited: [],
    creds: meta.creds,
    rlimits: (meta.rlimits as [number, string, string][]).map(([resource, soft, hard]) => ({ resource, soft: BigInt(soft), hard: BigInt(hard) })),
    session: meta.session,
    argv0: meta.argv0,
    prog: meta.prog,
  };
  return execInPlace(st, argv);
}

/** Runs an external program as a child with the state and waits for it. */
export function spawnWait(st: State, path: string, argv: string[]): ChildStatus {
  settleNodeStartup();
  if (needsHelper(st)) {
    const h = helperCommand(st, path, argv);
    const r = childProcess().spawnSync(h.file, h.args, { stdio: h.stdio, env: {} });
    if (r.error) throw r.error;
    if (r.signal) return { code: 128 + (osc.signals[r.signal] ?? 0), signal: osc.signals[r.signal] ?? 0 };
    return { code: r.status ?? 0, signal: 0 };
  }
  const r = childProcess().spawnSync(toNative(path), argv.slice(1).map(toNative), spawnOptions(st, st.argv0 ?? argv[0]));
  if (r.error) throw r.error;
  if (r.signal) return { code: 128 + (osc.signals[r.signal] ?? 0), signal: osc.signals[r.signal] ?? 0 };
  return { code: r.status ?? 0, signal: 0 };
}

/** Starts an external program as a child with the state, without waiting. */
export function spawnNoWait(st: State, path: string, argv: string[]): ChildProcess {
  settleNodeStartup();
  if (needsHelper(st)) {
    const h = helperCommand(st, path, argv);
    const hp = childProcess().spawn(h.file, h.args, { stdio: h.stdio, env: {} });
    hp.on('error', noop);
    return hp;
  }
  const cp = childProcess().spawn(toNative(path), argv.slice(1).map(toNative), spawnOptions(st, st.argv0 ?? argv[0]));
  cp.on('error', noop);
  return cp;
}

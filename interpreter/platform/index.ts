// The platform boundary: the POSIX calls Node lacks (dup2, fcntl, pipe2, setsid, setpgid,
// tcsetpgrp, getrlimit/setrlimit, signal dispositions, waitpid, and a spawn and an execve that
// apply an exact fd table and return their errno), behind one typed interface. They live in a
// small N-API addon (interpreter/platform/native.c, built into dist/sys.node by scripts/build.mjs),
// which loads in about a millisecond. Every call returns normally or throws SysError with the
// errno name, like Node's own fs errors, so callers report them the same way.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** An errno from a system call, shaped like Node's ErrnoException (code = 'ENOENT', ...). */
export class SysError extends Error {
  code: string;
  errno: number;
  /** For spawn and execve: the step that failed ('exec', 'dup2', 'setrlimit', 'fork'). */
  stage: string;
  constructor(call: string, code: string, errno: number, stage?: string) {
    super(`${call}: ${code}`);
    this.code = code;
    this.errno = errno;
    this.stage = stage ?? call;
  }
}

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;

type PlanArgs = [Buffer[], Buffer[], Buffer[], Int32Array, BigUint64Array, bigint, bigint, number, number, Int32Array | null, number];

/** The addon's raw interface (interpreter/platform/native.c). */
interface Native {
  spawn(...a: PlanArgs): number;
  execve(...a: [...PlanArgs, boolean?]): never;
  waitpid(pid: number, nohang: boolean): [number, number] | null;
  dup2(a: number, b: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  setsid(): number;
  setpgid(pid: number, pgid: number): number;
  getpgrp(): number;
  tcsetpgrp(fd: number, pgrp: number): number;
  pipe2(flags: number): [number, number];
  getrlimit(res: number): [bigint, bigint];
  setrlimit(res: number, soft: bigint, hard: bigint): number;
  signal(sig: number, disposition: number): number;
  exit(code: number): never;
  setName(name: string): number;
  setupSignals(ignored: bigint, blocked: bigint): number;
  memfd(): number;
  checksum(data: Buffer): bigint;
  forkWrite(fd: number, data: Buffer | null, code: number, detach: boolean): number;
}

/**
 * Every function of Native, by name: what an addon must have before anything uses it (lib(), and
 * the entry file, which scripts/build.mjs writes with this list read from here). A Record, so
 * that the compiler rejects a name Native lacks and names the one this list misses.
 */
const NATIVE_FUNCTIONS: Record<keyof Native, true> = {
  spawn: true,
  execve: true,
  waitpid: true,
  dup2: true,
  fcntl: true,
  setsid: true,
  setpgid: true,
  getpgrp: true,
  tcsetpgrp: true,
  pipe2: true,
  getrlimit: true,
  setrlimit: true,
  signal: true,
  exit: true,
  setName: true,
  setupSignals: true,
  memfd: true,
  checksum: true,
  forkWrite: true,
};

/**
 * The first function of Native that `addon` (a loaded module's exports) lacks, or null when it
 * has them all: a foreign N-API addon at sys.node loads as well as ours does.
 */
export function missingNativeFunction(addon: unknown): string | null {
  const a = addon as Record<string, unknown> | null;
  for (const name of Object.keys(NATIVE_FUNCTIONS)) if (a === null || typeof a !== 'object' || typeof a[name] !== 'function') return name;
  return null;
}

let native: Native | null = null;

/** True once the addon has been loaded. */
export function loaded(): boolean {
  return native !== null;
}

/** Where dist/sys.node is: beside the entry file when bundled, else in the repository's dist/. */
function addonPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(new URL(import.meta.url).pathname);
  for (const p of [join(here, 'sys.node'), join(here, '../../dist/sys.node'), join(here, '../dist/sys.node')]) if (existsSync(p)) return p;
  return join(here, 'sys.node');
}

/**
 * Where the entry file (dist/execline.cjs) leaves the addon it loaded for its code cache, so that
 * a start loads it once.
 */
const LOADED_ADDON = Symbol.for('execline-ts.sys');

/**
 * The addon, loaded on first use: the one the entry file loaded, else dist/sys.node loaded here.
 * Throws SysError (ELIBACC) when it cannot load (dlopen's reason, which names the file) or is
 * not ours (`PATH is not execline-ts's platform layer (no NAME)`), with the message main.ts
 * prints after `unable to start: `.
 */
function lib(): Native {
  if (native) return native;
  const fail = (why: string) => {
    const err = new SysError('unable to load the platform layer', 'ELIBACC', 79);
    err.message = `unable to load the platform layer: ${why}`;
    return err;
  };
  let m = { exports: (globalThis as unknown as Record<symbol, unknown>)[LOADED_ADDON] };
  if (!m.exports) {
    try {
      // process.dlopen, not require(): require() resolves the path and looks up the package scope
      // first (about 1 ms of a start).
      m = { exports: {} };
      process.dlopen(m, addonPath());
    } catch (e) {
      // (dlopen's reason names the file)
      throw fail((e as Error).message.split('\n')[0]);
    }
  }
  const missing = missingNativeFunction(m.exports);
  if (missing !== null) throw fail(`${addonPath()} is not execline-ts's platform layer (no ${missing})`);
  native = m.exports as Native;
  return native;
}

/** Turns the addon's errors (Error with code, errno, stage) into SysError. */
function call<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SysError) throw e; // (already ours: lib()'s, with the reason in its message)
    const x = e as { code?: string; errno?: number; stage?: string; message: string };
    if (typeof x.code === 'string' && typeof x.errno === 'number') throw new SysError(x.message.split(':')[0], x.code, x.errno, x.stage);
    throw e;
  }
}

/** dup2(2): the target loses FD_CLOEXEC, as the program after exec must see it. */
export function dup2(from: number, to: number): void {
  call(() => lib().dup2(from, to));
}

export function getfd(fd: number): number {
  return call(() => lib().fcntl(fd, F_GETFD, 0));
}

export function setCloexec(fd: number, on: boolean): void {
  const l = lib();
  const flags = call(() => l.fcntl(fd, F_GETFD, 0));
  const want = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
  if (want !== flags) call(() => l.fcntl(fd, F_SETFD, want));
}

export function setNonblock(fd: number, on: boolean): void {
  const l = lib();
  const flags = call(() => l.fcntl(fd, F_GETFL, 0));
  const want = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (want !== flags) call(() => l.fcntl(fd, F_SETFL, want));
}

/** fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy of fd at or above min. */
export function dupCloexec(fd: number, min = 3): number {
  return call(() => lib().fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, min));
}

/**
 * fcntl(F_SETPIPE_SZ): grows a pipe's buffer (up to /proc/sys/fs/pipe-max-size, 1 MiB by default,
 * for an unprivileged process). Returns the new size, or -1 if the kernel refused.
 */
export function setPipeSize(fd: number, size: number): number {
  try {
    return lib().fcntl(fd, 1031 /* F_SETPIPE_SZ */, size);
  } catch {
    return -1;
  }
}

/** pipe2(O_CLOEXEC): [read end, write end], both close-on-exec. */
export function pipe(): [number, number] {
  return call(() => lib().pipe2(O_CLOEXEC));
}

export function setsid(): number {
  return call(() => lib().setsid());
}

export function setpgid(pid: number, pgid: number): void {
  call(() => lib().setpgid(pid, pgid));
}

export function getpgrp(): number {
  return lib().getpgrp();
}

export function tcsetpgrp(fd: number, pgrp: number): void {
  call(() => lib().tcsetpgrp(fd, pgrp));
}

export const RLIM_INFINITY = 0xffffffffffffffffn;

export function getrlimit(resource: number): { soft: bigint; hard: bigint } {
  const [soft, hard] = call(() => lib().getrlimit(resource));
  return { soft, hard };
}

export function setrlimit(resource: number, soft: bigint, hard: bigint): void {
  call(() => lib().setrlimit(resource, soft, hard));
}

export const SIG_DFL = 0;
export const SIG_IGN = 1;

/** sigaction(2) to the default (0) or ignore (1): returns the previous one (0, 1, or 2 caught). */
export function setSignal(sig: number, disposition: number): number {
  return call(() => lib().signal(sig, disposition));
}

/**
 * The signal dispositions and mask of the C process this Node process stands for (ignored and
 * blocked as bit n-1 for signal n): see SetupSignals in native.c.
 */
export function setupSignals(ignored: bigint, blocked: bigint): void {
  call(() => lib().setupSignals(ignored, blocked));
}

/** The calling thread's name (prctl PR_SET_NAME; /proc/PID/comm of the main thread), 15 bytes at most. */
export function setThreadName(name: string): void {
  lib().setName(name);
}

/** _exit(2): ends the process at once, without Node's exit hooks. */
export function exitNow(code: number): never {
  return lib().exit(code);
}

/**
 * A 64-bit hash of a buffer's bytes (native.c Checksum): what guards the code cache against
 * damage (dist/execline.cjs checks it before V8 reads the cache). Lowercase hex, no padding.
 */
export function checksum(data: Buffer): string {
  return lib().checksum(data).toString(16);
}

/** A close-on-exec anonymous file (memfd_create), for the state handed to a Node child. */
export function memfd(): number {
  return call(() => lib().memfd());
}

/**
 * What a spawned or exec'd program gets: the candidate paths tried in order (skalibs' exec_ae
 * search), its argv and environment as bytes, the exact fd table as [target, source] pairs (no
 * other fd survives), resource limits set just before the exec, the signals left ignored (every
 * other disposition is the default) and the blocked-signal mask, as bit n-1 for signal n.
 */
export interface ExecPlan {
  files: Buffer[];
  argv: Buffer[];
  envp: Buffer[];
  fds: Array<[number, number]>;
  rlimits: Array<{ resource: number; soft: bigint; hard: bigint }>;
  ignored: bigint;
  blocked: bigint;
  /** Credentials to take (setgroups, setgid, setuid; -1 = unchanged), or null. */
  creds: { uid: number; gid: number; groups: number[] | null } | null;
  /** How the candidates are tried: skalibs' exec_ae (execs) or glibc's execvp (spawns). */
  search?: 'skalibs' | 'libc';
}

/** b with a NUL after it, as a C string (one allocation: a plan holds every variable of the environment). */
const z = (b: Buffer): Buffer => {
  const o = Buffer.allocUnsafe(b.length + 1);
  b.copy(o);
  o[b.length] = 0;
  return o;
};

function planArgs(p: ExecPlan): PlanArgs {
  const pairs = new Int32Array(p.fds.length * 2);
  p.fds.forEach(([t, s], i) => {
    pairs[2 * i] = t;
    pairs[2 * i + 1] = s;
  });
  const limits = new BigUint64Array(p.rlimits.length * 3);
  p.rlimits.forEach((l, i) => {
    limits[3 * i] = BigInt(l.resource);
    limits[3 * i + 1] = l.soft;
    limits[3 * i + 2] = l.hard;
  });
  const c = p.creds;
  return [
    p.files.map(z),
    p.argv.map(z),
    p.envp.map(z),
    pairs,
    limits,
    p.ignored,
    p.blocked,
    c?.uid ?? -1,
    c?.gid ?? -1,
    c?.groups ? Int32Array.from(c.groups) : null,
    p.search === 'libc' ? 1 : 0,
  ];
}

/**
 * vfork + the plan + execve: returns the child's pid once it has exec'd, or throws SysError with
 * the errno of the step that failed (stage 'exec' for the program itself; the child is reaped).
 */
export function spawn(p: ExecPlan): number {
  const a = planArgs(p);
  return call(() => lib().spawn(...a));
}

/**
 * The plan applied to this process, then execve: never returns on success; throws SysError on
 * failure, after which the fd table has been changed (end the process with exitNow).
 */
export function execve(p: ExecPlan): never {
  const a = planArgs(p);
  return call(() => lib().execve(...a));
}

/**
 * execve that this process survives when it fails: the fds, signal dispositions and limits the
 * plan changed are put back, and the SysError thrown (tryexec).
 */
export function tryExecve(p: ExecPlan): never {
  const a = planArgs(p);
  return call(() => lib().execve(...a, true));
}

/** waitpid(2): null if nohang and nothing has ended; else [pid, raw wait status]. */
export function waitpid(pid: number, nohang: boolean): [number, number] | null {
  return call(() => lib().waitpid(pid, nohang));
}

/**
 * Forks a child that writes `data` to the real fd `fd` and exits with `code` (heredoc's writer;
 * the child that only reports an exec failure; the child of an empty block). It has the default
 * dispositions, an empty mask, and no fd but 0, 1, 2 and `fd`. With `detach` the writer is a
 * grandchild and 0 is returned; otherwise its pid, to reap or leave to the final program.
 * Throws SysError (fork).
 */
export function forkWrite(fd: number, data: Buffer | null, code: number, detach = false): number {
  return call(() => lib().forkWrite(fd, data, code, detach));
}

export { RLIMIT, SIGNALS, signalName, nodeSignalName, openFds, environBlock, nofileSoftFromProc } from './linux.js';

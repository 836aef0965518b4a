// The platform boundary: the POSIX calls Node lacks (dup2, fcntl, pipe2, setsid, setpgid,
// tcsetpgrp, getrlimit/setrlimit, a raw execve), behind one typed interface. They go through
// koffi (FFI to libc), which costs ~8 ms to load, so it is loaded on first use only: a script
// that needs none of these calls never loads it. Every call returns normally or throws SysError
// with the errno name, like Node's own fs errors, so callers report them the same way.
import { createRequire } from 'node:module';
import { constants } from 'node:os';

/** An errno from a libc call, shaped like Node's ErrnoException (code = 'ENOENT', ...). */
export class SysError extends Error {
  code: string;
  errno: number;
  constructor(call: string, errno: number) {
    const code = errnoName(errno);
    super(`${call}: ${code}`);
    this.code = code;
    this.errno = errno;
  }
}

function errnoName(n: number): string {
  const table = constants.errno as Record<string, number>;
  for (const k in table) if (table[k] === n) return k;
  return `E${n}`;
}

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;

interface Libc {
  koffi: { errno(): number };
  dup2: (a: number, b: number) => number;
  fcntl: (fd: number, cmd: number, arg: number) => number;
  pipe2: (out: number[], flags: number) => number;
  setsid: () => number;
  setpgid: (pid: number, pgid: number) => number;
  getpgrp: () => number;
  tcsetpgrp: (fd: number, pgrp: number) => number;
  getrlimit: (res: number, out: bigint[]) => number;
  setrlimit: (res: number, lim: bigint[]) => number;
  execve: (path: Buffer, argv: Array<Buffer | null>, envp: Array<Buffer | null>) => number;
  signal: (sig: number, handler: number) => number;
}

let libc: Libc | null = null;

/** True once koffi has been loaded (tests use it to prove a script did not need it). */
export function loaded(): boolean {
  return libc !== null;
}

function lib(): Libc {
  if (libc) return libc;
  // In the CJS bundle `require` exists; under vitest (ESM) it is made from this module's URL.
  const req = typeof require === 'function' ? require : createRequire(import.meta.url);
  const koffi = req('koffi');
  const c = koffi.load('libc.so.6');
  libc = {
    koffi,
    dup2: c.func('int dup2(int, int)'),
    fcntl: c.func('int fcntl(int, int, int)'),
    pipe2: c.func('int pipe2(_Out_ int *fds, int flags)'),
    setsid: c.func('int setsid()'),
    setpgid: c.func('int setpgid(int, int)'),
    getpgrp: c.func('int getpgrp()'),
    tcsetpgrp: c.func('int tcsetpgrp(int, int)'),
    getrlimit: c.func('int getrlimit(int, _Out_ uint64_t *)'),
    setrlimit: c.func('int setrlimit(int, const uint64_t *)'),
    execve: c.func('int execve(const char *, const char **, const char **)'),
    signal: c.func('intptr_t signal(int, intptr_t)'),
  } as unknown as Libc;
  return libc;
}

function check(call: string, r: number): number {
  if (r < 0) throw new SysError(call, lib().koffi.errno());
  return r;
}

/** dup2(2): the target loses FD_CLOEXEC, as the program after exec must see it. */
export function dup2(from: number, to: number): void {
  check('dup2', lib().dup2(from, to));
}

export function getfd(fd: number): number {
  return check('fcntl', lib().fcntl(fd, F_GETFD, 0));
}

export function setCloexec(fd: number, on: boolean): void {
  const l = lib();
  const flags = check('fcntl', l.fcntl(fd, F_GETFD, 0));
  const want = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
  if (want !== flags) check('fcntl', l.fcntl(fd, F_SETFD, want));
}

export function setNonblock(fd: number, on: boolean): void {
  const l = lib();
  const flags = check('fcntl', l.fcntl(fd, F_GETFL, 0));
  const want = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  if (want !== flags) check('fcntl', l.fcntl(fd, F_SETFL, want));
}

/** fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy of fd at or above min. */
export function dupCloexec(fd: number, min = 3): number {
  return check('fcntl', lib().fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, min));
}

/**
 * fcntl(F_SETPIPE_SZ): grows a pipe's buffer (up to /proc/sys/fs/pipe-max-size, 1 MiB by default,
 * for an unprivileged process). Returns the new size, or -1 if the kernel refused.
 */
export function setPipeSize(fd: number, size: number): number {
  return lib().fcntl(fd, 1031 /* F_SETPIPE_SZ */, size);
}

/** pipe2(O_CLOEXEC): [read end, write end], both close-on-exec. */
export function pipe(): [number, number] {
  const fds = [0, 0];
  check('pipe2', lib().pipe2(fds, O_CLOEXEC));
  return [fds[0], fds[1]];
}

export function setsid(): number {
  return check('setsid', lib().setsid());
}

export function setpgid(pid: number, pgid: number): void {
  check('setpgid', lib().setpgid(pid, pgid));
}

export function getpgrp(): number {
  return lib().getpgrp();
}

export function tcsetpgrp(fd: number, pgrp: number): void {
  check('tcsetpgrp', lib().tcsetpgrp(fd, pgrp));
}

export const RLIM_INFINITY = 0xffffffffffffffffn;

export function getrlimit(resource: number): { soft: bigint; hard: bigint } {
  const out = [0n, 0n];
  check('getrlimit', lib().getrlimit(resource, out));
  return { soft: BigInt(out[0]), hard: BigInt(out[1]) };
}

export function setrlimit(resource: number, soft: bigint, hard: bigint): void {
  check('setrlimit', lib().setrlimit(resource, [soft, hard]));
}

/**
 * Prepares a raw execve: everything is built now, so that the call itself allocates (almost)
 * nothing, which lets resource limits be set between the two (an address-space limit below what
 * Node has mapped would make any later allocation fail). Returns the call.
 */
export function prepareExecve(path: Buffer, argv: Buffer[], envp: Buffer[]): () => never {
  const z = (b: Buffer) => Buffer.concat([b, Buffer.from([0])]);
  const l = lib();
  const p = z(path);
  const a = [...argv.map(z), null];
  const e = [...envp.map(z), null];
  return () => {
    l.execve(p, a, e);
    throw new SysError('execve', l.koffi.errno());
  };
}

/** Raw execve with byte-exact arguments (for argv or env that is not valid UTF-8). */
export function execveRaw(path: Buffer, argv: Buffer[], envp: Buffer[]): never {
  const z = (b: Buffer) => Buffer.concat([b, Buffer.from([0])]);
  const l = lib();
  l.execve(z(path), [...argv.map(z), null], [...envp.map(z), null]);
  throw new SysError('execve', l.koffi.errno());
}

export const SIG_DFL = 0;
export const SIG_IGN = 1;

/** signal(2) for a signal Node does not handle itself (SIGTTOU...): returns the previous disposition. */
export function setSignal(sig: number, handler: number): number {
  return Number(lib().signal(sig, handler));
}

// The Linux facts the rest of the code needs, in one place with the platform layer: resource
// numbers (<sys/resource.h>), signal names and numbers (skalibs' sig0_scan and sig_name tables),
// and what /proc says about this process (its fds, its environment, its open-files limit).
// Nothing outside interpreter/platform names a /proc path, an rlimit or a signal number.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Resource numbers of getrlimit(2) on Linux. */
export const RLIMIT = { CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9 } as const;

/** Signal names as skalibs' sig0_scan knows them on Linux, without the SIG prefix (aliases too). */
export const SIGNALS: Readonly<Record<string, number>> = Object.freeze({
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
});

/** SKALIBS_NSIG: signals are numbered 1 to NSIG - 1. */
export const NSIG = 65;

/** The file type and mode bits of st_mode (sys/stat.h): S_IFMT and the types, S_ISUID, S_ISGID, S_ISVTX. */
export const MODE = Object.freeze({
  IFMT: 0o170000,
  IFSOCK: 0o140000,
  IFLNK: 0o120000,
  IFREG: 0o100000,
  IFBLK: 0o060000,
  IFDIR: 0o040000,
  IFCHR: 0o020000,
  IFIFO: 0o010000,
  ISUID: 0o4000,
  ISGID: 0o2000,
  ISVTX: 0o1000,
});

/** The name skalibs' sig_name gives signal n (the first in SIGNALS), or '???'. */
export function signalName(n: number): string {
  for (const k in SIGNALS) if (SIGNALS[k] === n) return k;
  return '???';
}

/**
 * Node's names by number on Linux, the canonical one for each (os.constants.signals without the
 * aliases SIGIOT, SIGPOLL, SIGUNUSED): written out, since loading node:os costs every start
 * about half a millisecond. spec/interpreter/platform/linux.test.ts checks it against node:os.
 */
export const NODE_SIGNAL_NAMES: readonly NodeJS.Signals[] = Object.freeze([
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
] as NodeJS.Signals[]);

/** Node's name for signal n ('SIGTERM'), as process.on and ChildProcess.signalCode use, or undefined. */
export function nodeSignalName(n: number): NodeJS.Signals | undefined {
  return Number.isInteger(n) && n >= 1 ? NODE_SIGNAL_NAMES[n - 1] : undefined;
}

/** The open fds of this process with what each refers to (readlink of /proc/self/fd/N); [] without /proc. */
export function openFds(): [number, string][] {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const out: [number, string][] = [];
  for (const n of names) {
    try {
      out.push([Number(n), readlinkSync(`/proc/self/fd/${n}`)]);
    } catch {
      /* the directory's own fd, gone */
    }
  }
  return out;
}

/** This process's environment block, bytes as latin1 (/proc/self/environ), or null without /proc. */
export function environBlock(): string | null {
  try {
    return readFileSync('/proc/self/environ').toString('latin1');
  } catch {
    return null;
  }
}

/** The soft open-files limit /proc/self/limits shows, or null without /proc. */
export function nofileSoftFromProc(): number | null {
  try {
    const m = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    if (m) return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    /* no /proc */
  }
  return null;
}

// Diagnostics in skarnet's shape, the one vocabulary every command speaks (skalibs' strerr):
//   prog: fatal: ...          fatal, fatalSys, fatalSpawn, fatalExec   (strerr_dief*, strerr_diefu*sys)
//   prog: warning: ...        warn, warnSys                            (strerr_warnw*, strerr_warnwu*sys)
//   prog: usage: ...          usage                                    (strerr_dieusage)
// with the exit codes of exitcodes.html (EXIT_USAGE, EXIT_SYS, EXIT_NOEXEC, EXIT_NOTFOUND). A
// message is never built by hand elsewhere: "unable to <verb> <object>: <strerror>" is sysText.
// A command never exits by itself: it throws Die, and the trampoline (or a virtual child) decides
// what dying means, so a block run in-process cannot take its parent down with it.
import { SIGNALS } from '../platform/linux.js';
import { writeSync } from 'node:fs';
import { toBuffer } from '../language/bytes.js';

/** Thrown to end the current (possibly virtual) process with an exit code after a message. */
export class Die extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown to end the current (possibly virtual) process quietly with an exit code. */
export class Exit extends Error {
  constructor(public readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Thrown to end the current (possibly virtual) process as if killed by a signal: a C program
 * writing to a broken pipe dies of SIGPIPE, while Node ignores it and gets EPIPE.
 */
export class Killed extends Error {
  constructor(public readonly signal: number) {
    super(`killed by signal ${signal}`);
  }
}

export const SIGPIPE = SIGNALS.PIPE;

/**
 * Writes a whole byte string to a real fd, retrying on partial writes and EAGAIN. A broken pipe
 * kills the writer with SIGPIPE (throws Killed), as the default disposition does in C.
 */
export function writeAll(fd: number, s: string | Uint8Array): void {
  const buf = typeof s === 'string' ? toBuffer(s) : s;
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EPIPE') throw new Killed(SIGPIPE);
      throw e;
    }
  }
}

/**
 * Writes a command's output to its stdout (a real fd, -1 when the script closed it): a broken
 * pipe kills the command (SIGPIPE), any other failure is fatal with 111, as with the reference.
 */
export function writeStdout(prog: string, fd: number, text: string): void {
  try {
    if (fd < 0) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
    writeAll(fd, text);
  } catch (e) {
    if (e instanceof Killed) throw e;
    fatalSys(prog, EXIT_SYS, 'write to stdout', e);
  }
}

/** Where diagnostics go: the real fd that the current state calls 2. */
let stderrFd = 2;
export function setStderrFd(fd: number): number {
  const old = stderrFd;
  stderrFd = fd;
  return old;
}

function emit(line: string): void {
  try {
    writeAll(stderrFd, line + '\n');
  } catch {
    /* stderr closed: nothing else to do */
  }
}

/** Wrong usage or bad input (exitcodes.html: 100): usage lines, invalid arguments. */
export const EXIT_USAGE = 100;
/** A system call failed (exitcodes.html: 111). */
export const EXIT_SYS = 111;
/** Unable to chainload into a program, for any other reason than ENOENT (exitcodes.html: 126). */
export const EXIT_NOEXEC = 126;
/** Unable to chainload into a program: not found, ENOENT (exitcodes.html: 127). */
export const EXIT_NOTFOUND = 127;
/** What a command exits with when the child it reports was killed by signal n: EXIT_SIGNALED + n. */
export const EXIT_SIGNALED = 128;

/**
 * The libc strerror text of an error: a Node error (or anything with an errno `code`), or an
 * errno name given as a string ('EBADF'). Node's own messages differ from glibc's.
 */
export function strerror(e: unknown): string {
  const code = typeof e === 'string' ? e : (e as NodeJS.ErrnoException)?.code;
  if (code && Object.hasOwn(ERRNO_TEXT, code)) return ERRNO_TEXT[code];
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

/**
 * "unable to WHAT", or with an error "unable to WHAT: STRERROR": the words skalibs'
 * strerr_*fu* and strerr_*fu*sys macros add after the "fatal: " or "warning: ".
 */
export function sysText(what: string, err?: unknown): string {
  return err === undefined ? `unable to ${what}` : `unable to ${what}: ${strerror(err)}`;
}

/** A fatal message line without its newline: `prog: fatal: parts...` (strerr_dief's text). */
export function fatalText(prog: string, ...parts: string[]): string {
  return `${prog}: fatal: ${parts.join('')}`;
}

/** The Die that fatal throws, as a value (for code that returns or keeps it): strerr_dief. */
export function fatalDie(prog: string, code: number, ...parts: string[]): Die {
  return new Die(code, fatalText(prog, ...parts));
}

/** The Die that fatalSys throws, as a value: strerr_diefusys. */
export function sysDie(prog: string, code: number, what: string, err?: unknown): Die {
  return fatalDie(prog, code, sysText(what, err));
}

/** The Die that fatalSpawn throws, as a value. */
export function spawnDie(prog: string, name: string, err: unknown): Die {
  return sysDie(prog, EXIT_SYS, `spawn ${name}`, err);
}

/** The Die that fatalExec throws, as a value. */
export function execDie(prog: string, name: string, err: unknown): Die {
  return sysDie(prog, execCode(err), `exec ${name}`, err);
}

/** The exit code of a failed exec (exitcodes.html): EXIT_NOTFOUND for ENOENT, else EXIT_NOEXEC. */
export function execCode(err: unknown): number {
  const code = typeof err === 'string' ? err : (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' ? EXIT_NOTFOUND : EXIT_NOEXEC;
}

/**
 * Dies with `prog: fatal: parts...` (the parts joined as they are) and exit code `code`: skalibs'
 * strerr_dief (strerr_dief1x ... strerr_dief6x). Usually EXIT_USAGE for bad input, EXIT_SYS for
 * a failed call; the reference's own codes otherwise (1, 99, 101, 124, 128 + n).
 */
export function fatal(prog: string, code: number, ...parts: string[]): never {
  throw fatalDie(prog, code, ...parts);
}

/**
 * Dies with `prog: fatal: unable to WHAT: STRERROR` (or `unable to WHAT` without err): skalibs'
 * strerr_diefusys (strerr_diefu1sys ... strerr_diefu6sys), strerr_diefu*x without err. `what` is
 * the reference's verb and object ("open foo", "move fd 1 to fd 2"); err a Node error or an errno
 * name; code is usually EXIT_SYS.
 */
export function fatalSys(prog: string, code: number, what: string, err?: unknown): never {
  throw sysDie(prog, code, what, err);
}

/**
 * Dies with `prog: fatal: unable to spawn NAME: STRERROR` and EXIT_SYS (111): what every block
 * runner of execline says when it cannot start its child (strerr_diefu2sys(111, "spawn ", name)).
 */
export function fatalSpawn(prog: string, name: string, err: unknown): never {
  throw spawnDie(prog, name, err);
}

/**
 * Dies with `prog: fatal: unable to exec NAME: STRERROR` and EXIT_NOTFOUND (127) for ENOENT,
 * EXIT_NOEXEC (126) otherwise: skalibs' strerr_dieexec as xexec uses it.
 */
export function fatalExec(prog: string, name: string, err: unknown): never {
  throw execDie(prog, name, err);
}

/** Dies with `prog: usage: TEXT` and EXIT_USAGE (100): skalibs' strerr_dieusage. */
export function usage(prog: string, text: string): never {
  throw new Die(EXIT_USAGE, `${prog}: usage: ${text}`);
}

/**
 * What execline does with a doubtful script under EXECLINE_STRICT (level `strict`): nothing at
 * 0, a warning (`prog: warning: parts...`) at 1, a fatal error with EXIT_USAGE at 2 and more.
 */
export function strictComplaint(prog: string, strict: number, ...parts: string[]): void {
  if (strict >= 2) fatal(prog, EXIT_USAGE, ...parts);
  if (strict === 1) warn(prog, ...parts);
}

/** Prints `prog: warning: parts...` to the current stderr and goes on: skalibs' strerr_warnw. */
export function warn(prog: string, ...parts: string[]): void {
  emit(`${prog}: warning: ${parts.join('')}`);
}

/**
 * Prints `prog: warning: unable to WHAT: STRERROR` (or `unable to WHAT` without err) and goes
 * on: skalibs' strerr_warnwusys (strerr_warnwu*x without err).
 */
export function warnSys(prog: string, what: string, err?: unknown): void {
  warn(prog, sysText(what, err));
}

/** Prints the message of a Die to the current stderr. */
export function report(d: Die): void {
  if (d.message) emit(d.message);
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  ENOEXEC: 'Exec format error',
  E2BIG: 'Argument list too long',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMFILE: 'Too many open files',
  ENXIO: 'No such device or address',
  ETXTBSY: 'Text file busy',
  EAGAIN: 'Resource temporarily unavailable',
  EWOULDBLOCK: 'Resource temporarily unavailable',
  ECHILD: 'No child processes',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EPIPE: 'Broken pipe',
  ENOMEM: 'Cannot allocate memory',
  EBUSY: 'Device or resource busy',
  ENOTEMPTY: 'Directory not empty',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTTY: 'Inappropriate ioctl for device',
  EFBIG: 'File too large',
  ESPIPE: 'Illegal seek',
  EIO: 'Input/output error',
  EIDRM: 'Identifier removed',
  ETIMEDOUT: 'Connection timed out',
  EPROTO: 'Protocol error',
};

/** The errno code of a Node error, or undefined. */
export function errcode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

// Diagnostics in skarnet's shape: `prog: fatal: ...`, `prog: warning: ...`, `prog: usage: ...`.
// A command never exits by itself: it throws Die, and the trampoline (or a virtual child) decides
// what dying means, so a block run in-process cannot take its parent down with it.
import { writeSync } from 'node:fs';
import { toBuffer } from '../language/bytes.js';

/** Thrown to end the current (possibly virtual) process with an exit code after a message. */
export class Die extends Error {
  constructor(public readonly code: number, message: string) {
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

export const SIGPIPE = 13;

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
    throw new Die(111, `${prog}: fatal: unable to write to stdout: ${strerror(e)}`);
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

export function warn(prog: string, ...parts: string[]): void {
  emit(`${prog}: warning: ${parts.join('')}`);
}

export function fatal(prog: string, code: number, ...parts: string[]): never {
  throw new Die(code, `${prog}: fatal: ${parts.join('')}`);
}

export function usage(prog: string, text: string): never {
  throw new Die(100, `${prog}: usage: ${text}`);
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
};

/** The libc strerror text for a Node error (Node's own messages differ from glibc's). */
export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ERRNO_TEXT[code]) return ERRNO_TEXT[code];
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

/** The errno code of a Node error, or undefined. */
export function errcode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

// The message vocabulary (skalibs' strerr shapes and exitcodes.html's codes) and the child-status
// contract, as values: what each function throws or returns, byte for byte.
import { describe, expect, it } from 'vitest';
import {
  Die,
  EXIT_NOEXEC,
  EXIT_NOTFOUND,
  EXIT_SYS,
  EXIT_USAGE,
  execDie,
  fatal,
  fatalSys,
  spawnDie,
  strerror,
  strictComplaint,
  sysText,
  usage,
} from '../../../interpreter/command/errors.js';
import { approximate, estatus, waitStatus } from '../../../interpreter/command/child.js';

function thrown(f: () => void): Die {
  try {
    f();
  } catch (e) {
    if (e instanceof Die) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

describe('message vocabulary', () => {
  it('fatal joins its parts after "prog: fatal: "', () => {
    const d = thrown(() => fatal('if', EXIT_USAGE, 'invalid ', 'exit code'));
    expect([d.code, d.message]).toEqual([100, 'if: fatal: invalid exit code']);
  });
  it('fatalSys says "unable to <what>: <strerror>", with a Node error or an errno name', () => {
    const e = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(thrown(() => fatalSys('redirfd', EXIT_SYS, 'open x', e)).message).toBe('redirfd: fatal: unable to open x: No such file or directory');
    expect(thrown(() => fatalSys('fdmove', EXIT_SYS, 'move fd 1 to fd 2', 'EBADF')).message).toBe(
      'fdmove: fatal: unable to move fd 1 to fd 2: Bad file descriptor',
    );
    expect(thrown(() => fatalSys('x', EXIT_NOEXEC, 'exec y')).message).toBe('x: fatal: unable to exec y');
  });
  it('spawn and exec failures have the reference codes', () => {
    expect([spawnDie('background', 'nope', 'ENOENT').code, spawnDie('background', 'nope', 'ENOENT').message]).toEqual([
      EXIT_SYS,
      'background: fatal: unable to spawn nope: No such file or directory',
    ]);
    expect(execDie('exec', 'nope', 'ENOENT').code).toBe(EXIT_NOTFOUND);
    expect(execDie('exec', 'nope', 'EACCES').code).toBe(EXIT_NOEXEC);
    expect(execDie('exec', 'nope', 'EACCES').message).toBe('exec: fatal: unable to exec nope: Permission denied');
  });
  it('usage and strerror', () => {
    expect(thrown(() => usage('exit', 'exit [ exitcode ]')).message).toBe('exit: usage: exit [ exitcode ]');
    expect(strerror('EPROTO')).toBe('Protocol error');
    expect(strerror('ENOSUCH')).toBe('ENOSUCH');
    expect(sysText('slurp')).toBe('unable to slurp');
  });
  it('strictComplaint is fatal 100 at level 2 and silent at 0', () => {
    expect(thrown(() => strictComplaint('shift', 2, 'unquoted positional x')).message).toBe('shift: fatal: unquoted positional x');
    expect(() => strictComplaint('shift', 0, 'x')).not.toThrow();
  });
});

describe('child-status contract', () => {
  const killed = { code: 128 + 15, signal: 15 };
  const exited = (code: number) => ({ code, signal: 0 });
  it('? is 256 + N for a death by signal N (foreground.html), the code otherwise', () => {
    expect(waitStatus(killed)).toBe(271);
    expect(waitStatus(exited(3))).toBe(3);
  });
  it('estatus is 128 + N; approximate also squashes 128 and more to 128 (exitcodes.html)', () => {
    expect(estatus(killed)).toBe(143);
    expect(approximate(killed)).toBe(143);
    expect(approximate(exited(200))).toBe(128);
    expect(approximate(exited(127))).toBe(127);
  });
});

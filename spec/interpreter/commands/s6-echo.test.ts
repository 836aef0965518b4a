// s6-echo (s6-portable-utils, not installed here): checked against its documented behaviour.
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runScript } from '../../helpers.js';

const run = (script: string) => {
  const r = runScript(script, { flags: [] });
  expect(hasStackTrace(r.stderr)).toBe(false);
  return r;
};

describe('s6-echo', () => {
  it('writes its arguments separated by spaces, and a newline', () => {
    expect(run('s6-echo a b c')).toMatchObject({ stdout: 'a b c\n', stderr: '', status: 0 });
    expect(run('s6-echo')).toMatchObject({ stdout: '\n', status: 0 });
    expect(run('s6-echo "a  b" ""')).toMatchObject({ stdout: 'a  b \n', status: 0 });
  });
  it('-n: no newline', () => {
    expect(run('s6-echo -n a b')).toMatchObject({ stdout: 'a b', status: 0 });
    expect(run('s6-echo -n')).toMatchObject({ stdout: '', status: 0 });
  });
  it('-s: the first character of sep separates the arguments', () => {
    expect(run('s6-echo -s : a b c')).toMatchObject({ stdout: 'a:b:c\n', status: 0 });
    expect(run('s6-echo -s :: a b')).toMatchObject({ stdout: 'a:b\n', status: 0 });
    expect(run('s6-echo -s: a b')).toMatchObject({ stdout: 'a:b\n', status: 0 });
    expect(run('s6-echo -ns, a b')).toMatchObject({ stdout: 'a,b', status: 0 });
    expect(run('s6-echo -s "" a b')).toMatchObject({ stdout: 'a\0b\n', status: 0 });
  });
  it('stops options at -- or the first argument', () => {
    expect(run('s6-echo -- -n a')).toMatchObject({ stdout: '-n a\n', status: 0 });
    expect(run('s6-echo a -n')).toMatchObject({ stdout: 'a -n\n', status: 0 });
  });
  it('writes bytes as they are', () => {
    expect(run('s6-echo "\\0xe9"').stdout).toBe('\xe9\n');
  });
  it('does not chain: it exits after writing', () => {
    expect(run('s6-echo a echo b')).toMatchObject({ stdout: 'a echo b\n', status: 0 });
    expect(run('foreground { s6-echo in } s6-echo out')).toMatchObject({ stdout: 'in\nout\n', status: 0 });
  });
  it('writes to the fd the state calls 1', () => {
    expect(run('fdmove -c 1 2 s6-echo err')).toMatchObject({ stdout: '', stderr: 'err\n', status: 0 });
  });
  it('usage and write errors', () => {
    expect(run('s6-echo -x a')).toMatchObject({ stdout: '', stderr: 's6-echo: usage: s6-echo [ -n ] [ -s sep ] args...\n', status: 100 });
    expect(run('s6-echo -s')).toMatchObject({ status: 100 });
    expect(run('fdclose 1 s6-echo hi')).toMatchObject({ stderr: 's6-echo: fatal: unable to write to stdout: Bad file descriptor\n', status: 111 });
    expect(run('fdclose 1 s6-echo -n')).toMatchObject({ stderr: '', status: 0 });
  });
});

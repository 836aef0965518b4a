// with-contenv, printcontenv and s6-dumpenv (s6-overlay's, which Debian lacks): checked against
// their documented behaviour. with-contenv = emptyenv -p + s6-envdir -Lf on the container
// environment unless S6_KEEP_ENV is set (and not 0); also as the #! interpreter of a sh script.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN } from '../helpers.js';
import { direct } from './compare.js';

const DIR = '/run/s6/container_environment';
let created = false;

beforeAll(() => {
  if (!existsSync(DIR)) {
    mkdirSync(DIR, { recursive: true });
    created = true;
  }
  writeFileSync(join(DIR, 'ELTS_FOO'), 'bar\n');
  writeFileSync(join(DIR, 'ELTS_MULTI'), 'x y\nline2\n');
  writeFileSync(join(DIR, 'ELTS_EMPTYVAL'), '\n');
});

afterAll(() => {
  for (const f of ['ELTS_FOO', 'ELTS_MULTI', 'ELTS_EMPTYVAL']) rmSync(join(DIR, f), { force: true });
  if (created) rmSync('/run/s6', { recursive: true, force: true });
});

function envOf(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of stdout.split('\0')) if (l) m.set(l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1));
  return m;
}

describe('with-contenv', () => {
  it('replaces the environment with the container environment, keeping PATH', () => {
    const r = direct('with-contenv', ['env', '-0'], false, { env: { HOME: '/root', KEEPME: '1' } });
    expect(r.status).toBe(0);
    const env = envOf(r.stdout);
    expect(env.get('ELTS_FOO')).toBe('bar');
    expect(env.get('ELTS_MULTI')).toBe('x y\nline2');
    expect(env.get('ELTS_EMPTYVAL')).toBe('');
    expect(env.has('HOME') && !readdirSync(DIR).includes('HOME')).toBe(false);
    expect(env.has('KEEPME')).toBe(false);
    expect(env.get('PATH')).toBe(readdirSync(DIR).includes('PATH') ? readFileSync(join(DIR, 'PATH'), 'latin1').replace(/\n$/, '') : '/usr/bin:/bin');
  });
  it('keeps the environment when S6_KEEP_ENV is set and not 0', () => {
    const keep = envOf(direct('with-contenv', ['env', '-0'], false, { env: { S6_KEEP_ENV: '1', KEEPME: '1' } }).stdout);
    expect(keep.get('KEEPME')).toBe('1');
    expect(keep.has('ELTS_FOO')).toBe(false);
    const zero = envOf(direct('with-contenv', ['env', '-0'], false, { env: { S6_KEEP_ENV: '0', KEEPME: '1' } }).stdout);
    expect(zero.has('KEEPME')).toBe(false);
    expect(zero.get('ELTS_FOO')).toBe('bar');
  });
  it('is the #! interpreter of a sh script (the kernel runs our with-contenv)', () => {
    const script = '/tmp/el-with-contenv.sh';
    writeFileSync(script, `#!${join(BIN, 'with-contenv')} sh\necho "FOO=$ELTS_FOO"; echo "HOME=\${HOME-unset}"; echo "args: $*"\n`);
    chmodSync(script, 0o755);
    const r = spawnSync(script, ['a', 'b c'], { encoding: 'utf8', env: { HOME: '/root', PATH: '/usr/bin:/bin' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`FOO=bar\nHOME=${readdirSync(DIR).includes('HOME') ? readFileSync(join(DIR, 'HOME'), 'utf8').trim() : 'unset'}\nargs: a b c\n`);
  });
  it('needs a program', () => {
    const r = direct('with-contenv', [], false);
    expect(r.status).toBe(100);
    expect(r.stderr).toBe('with-contenv: usage: with-contenv prog...\n');
  });
});

describe('printcontenv', () => {
  it('prints a variable of the container environment', () => {
    expect(direct('printcontenv', ['ELTS_FOO'], false)).toMatchObject({ stdout: 'bar\n', status: 0 });
    expect(direct('printcontenv', ['ELTS_MULTI'], false)).toMatchObject({ stdout: 'x y\nline2\n', status: 0 });
  });
  it('exits 1 for a variable that is not there, 100 without one', () => {
    expect(direct('printcontenv', ['ELTS_NOPE'], false)).toMatchObject({ stdout: '', stderr: '', status: 1 });
    expect(direct('printcontenv', [], false).status).toBe(100);
  });
});

describe('s6-dumpenv', () => {
  it('writes the environment as an envdir that s6-envdir reads back', () => {
    const d = '/tmp/el-dumpenv';
    rmSync(d, { recursive: true, force: true });
    const r = direct('s6-dumpenv', [d], false, { env: { A: '1', B: 'x\ny', EMPTY: '' } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(d, 'A'), 'latin1')).toBe('1\n');
    expect(readFileSync(join(d, 'B'), 'latin1')).toBe('x\0y\n');
    expect(readFileSync(join(d, 'EMPTY'), 'latin1')).toBe('\n');
    const back = spawnSync('/usr/bin/s6-envdir', [d, 'env', '-0'], { encoding: 'latin1', env: {} });
    const env = envOf(back.stdout);
    expect(env.get('A')).toBe('1');
    expect(env.get('B')).toBe('x\ny');
    expect(env.get('EMPTY')).toBe('');
  });
  it('needs a directory', () => {
    expect(direct('s6-dumpenv', [], false).status).toBe(100);
  });
});

// with-contenv, printcontenv (s6-overlay's) and s6-dumpenv (s6-portable-utils'), which Debian
// lacks: checked against their documented behaviour, and S6_KEEP_ENV's reading against the
// programs s6-overlay asks (eltest for with-contenv, sh's test for printcontenv). with-contenv =
// emptyenv -p + s6-envdir -Lf on the container environment unless S6_KEEP_ENV keeps the
// environment; also as the #! interpreter of a sh script. Every run that reads the container
// environment gets a private /run (a mount namespace): the host's /run/s6 is never touched.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PrivateRun, REF_BIN, spawnAsync, type Run } from '../helpers.js';

const CONTAINER = {
  ELTS_FOO: 'bar\n',
  ELTS_MULTI: 'x y\nline2\n',
  ELTS_EMPTYVAL: '\n',
  ELTS_VERBATIM: 'no newline',
};

let box: PrivateRun;
let tmp = '';
const canUnshare = PrivateRun.supported();

beforeAll(() => {
  box = new PrivateRun(CONTAINER);
  tmp = mkdtempSync(join(tmpdir(), 'elts-contenv-test-'));
  chmodSync(tmp, 0o755);
});

afterAll(() => {
  box.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs one of our programs (or any program) inside the private /run. */
function inBox(exe: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const [cmd, argv] = box.wrap(exe.includes('/') ? exe : join(BIN, exe), args);
  return spawnAsync(cmd, argv, { env: { PATH: '/usr/bin:/bin', ...env }, timeout: 20000, cwd: '/' });
}

/** Runs one of our programs directly (not in the private /run), with PATH and `env` only. */
function ours(prog: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return spawnAsync(join(BIN, prog), args, { env: { PATH: '/usr/bin:/bin', ...env }, timeout: 20000, cwd: '/tmp' });
}

function envOf(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of stdout.split('\0')) if (l) m.set(l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1));
  return m;
}

/** Values of S6_KEEP_ENV worth telling apart: numbers, junk after digits, blanks, signs. */
const KEEP_VALUES = ['0', '00', '1', '01', '007', '1abc', '1 ', ' 1', '-1', '+1', 'yes', 'true', '', '1.5', '0x1', '99999999999999999999999'];

describe.runIf(canUnshare)('with-contenv', () => {
  it('replaces the environment with the container environment, keeping PATH', async () => {
    const r = await inBox('with-contenv', ['env', '-0'], { HOME: '/root', KEEPME: '1' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const env = envOf(r.stdout);
    expect(env.get('ELTS_FOO')).toBe('bar');
    expect(env.get('ELTS_MULTI')).toBe('x y\nline2');
    expect(env.get('ELTS_EMPTYVAL')).toBe('');
    expect(env.get('ELTS_VERBATIM')).toBe('no newline');
    expect(env.has('HOME')).toBe(false);
    expect(env.has('KEEPME')).toBe(false);
    expect(env.get('PATH')).toBe('/usr/bin:/bin');
  });
  it('keeps the environment when S6_KEEP_ENV is set and not 0', async () => {
    const keep = envOf((await inBox('with-contenv', ['env', '-0'], { S6_KEEP_ENV: '1', KEEPME: '1' })).stdout);
    expect(keep.get('KEEPME')).toBe('1');
    expect(keep.has('ELTS_FOO')).toBe(false);
    const zero = envOf((await inBox('with-contenv', ['env', '-0'], { S6_KEEP_ENV: '0', KEEPME: '1' })).stdout);
    expect(zero.has('KEEPME')).toBe(false);
    expect(zero.get('ELTS_FOO')).toBe('bar');
  });
  it('reads S6_KEEP_ENV as s6-overlay does: keeps the environment when `eltest 0$S6_KEEP_ENV -eq 0` fails', async () => {
    for (const v of KEEP_VALUES) {
      const t = await spawnAsync(join(REF_BIN, 'eltest'), [`0${v}`, '-eq', '0'], { env: {} });
      const env = envOf((await inBox('with-contenv', ['env', '-0'], { S6_KEEP_ENV: v, KEEPME: '1' })).stdout);
      expect({ v, kept: env.has('KEEPME'), loaded: env.has('ELTS_FOO') }).toEqual({ v, kept: t.status !== 0, loaded: t.status === 0 });
    }
  });
  it('fails as s6-envdir when there is no container environment', async () => {
    const none = new PrivateRun();
    const [cmd, argv] = none.wrap('/bin/sh', ['-c', `rmdir /run/s6/container_environment && exec ${join(BIN, 'with-contenv')} true`]);
    const r = await spawnAsync(cmd, argv, { env: { PATH: '/usr/bin:/bin' }, cwd: '/' });
    none.cleanup();
    expect(r.status).toBe(111);
    expect(r.stderr).toBe('s6-envdir: fatal: unable to envdir /run/s6/container_environment: No such file or directory\n');
  });
  it('is the #! interpreter of a sh script (the kernel runs our with-contenv)', async () => {
    const script = join(tmp, 'with-contenv.sh');
    writeFileSync(script, `#!${join(BIN, 'with-contenv')} sh\necho "FOO=$ELTS_FOO"; echo "HOME=\${HOME-unset}"; echo "args: $*"\n`);
    chmodSync(script, 0o755);
    const r = await inBox(script, ['a', 'b c'], { HOME: '/root' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('FOO=bar\nHOME=unset\nargs: a b c\n');
  });
  it('needs a program', async () => {
    const r = await ours('with-contenv', []);
    expect(r.status).toBe(100);
    expect(r.stderr).toBe('with-contenv: usage: with-contenv prog...\n');
  });
});

describe.runIf(canUnshare)('printcontenv', () => {
  it('prints a variable of the container environment', async () => {
    expect(await inBox('printcontenv', ['ELTS_FOO'])).toMatchObject({ stdout: 'bar\n', stderr: '', status: 0 });
    expect(await inBox('printcontenv', ['ELTS_MULTI'])).toMatchObject({ stdout: 'x y\nline2\n', status: 0 });
    expect(await inBox('printcontenv', ['ELTS_VERBATIM'])).toMatchObject({ stdout: 'no newline\n', status: 0 });
  });
  it('exits 1 for a variable that is not there, 100 without one', async () => {
    expect(await inBox('printcontenv', ['ELTS_NOPE'])).toMatchObject({ stdout: '', stderr: '', status: 1 });
    expect(await inBox('printcontenv', ['../etc/passwd'])).toMatchObject({ stdout: '', stderr: '', status: 1 });
    expect(await ours('printcontenv', [])).toMatchObject({ stdout: '', stderr: 'printcontenv: fatal: too few arguments\n', status: 100 });
  });
  it('with S6_KEEP_ENV, prints the variable from its own environment (no container environment is written then)', async () => {
    const keep = { S6_KEEP_ENV: '1', ELTS_FOO: 'mine', ELTS_NL: 'a\nb', ELTS_EMPTY: '' };
    expect(await inBox('printcontenv', ['ELTS_FOO'], keep)).toMatchObject({ stdout: 'mine\n', stderr: '', status: 0 });
    expect(await inBox('printcontenv', ['ELTS_NL'], keep)).toMatchObject({ stdout: 'a\nb\n', status: 0 });
    // Unset, empty, or not a variable name: exit 1, as the script's `test -z`.
    for (const name of ['ELTS_NOPE', 'ELTS_EMPTY', 'A-B', '1X'])
      expect(await inBox('printcontenv', [name], keep)).toMatchObject({ stdout: '', stderr: '', status: 1 });
    // No container environment directory at all: the environment is all that is read.
    const none = new PrivateRun();
    const [cmd, argv] = none.wrap('/bin/sh', ['-c', `rmdir /run/s6/container_environment && exec ${join(BIN, 'printcontenv')} ELTS_FOO`]);
    expect(await spawnAsync(cmd, argv, { env: keep, cwd: '/' })).toMatchObject({ stdout: 'mine\n', status: 0 });
    none.cleanup();
  });
  it('reads S6_KEEP_ENV as s6-overlay does: the environment when `test "0$S6_KEEP_ENV" -ne 0` succeeds', async () => {
    for (const v of KEEP_VALUES) {
      const t = await spawnAsync('/bin/sh', ['-c', 'test "0$1" -ne 0 2>/dev/null', 'sh', v], { env: {} });
      const r = await inBox('printcontenv', ['ELTS_FOO'], { S6_KEEP_ENV: v, ELTS_FOO: 'mine' });
      expect({ v, stdout: r.stdout, status: r.status }).toEqual({ v, stdout: t.status === 0 ? 'mine\n' : 'bar\n', status: 0 });
    }
  });
});

describe('s6-dumpenv', () => {
  it('writes each variable as is (-n, the default), read back by s6-envdir -Lfn', async () => {
    const d = join(tmp, 'dump-n');
    const r = await ours('s6-dumpenv', [d], { A: '1', B: 'x\ny', C: 'z\n', EMPTY: '' });
    expect(r).toMatchObject({ stdout: '', stderr: '', status: 0 });
    expect(readFileSync(join(d, 'A'), 'latin1')).toBe('1');
    expect(readFileSync(join(d, 'B'), 'latin1')).toBe('x\ny');
    expect(readFileSync(join(d, 'C'), 'latin1')).toBe('z\n');
    expect(readFileSync(join(d, 'EMPTY'), 'latin1')).toBe('');
    expect(statSync(d).mode & 0o777).toBe(0o755);
    const back = await spawnAsync('/usr/bin/s6-envdir', ['-Lfn', d, 'env', '-0'], { env: {} });
    const env = envOf(back.stdout);
    expect([env.get('A'), env.get('B'), env.get('C'), env.has('EMPTY')]).toEqual(['1', 'x\ny', 'z\n', false]);
  });
  it('-N adds a newline to each, read back by s6-envdir -Lf (s6-overlay runs it when S6_KEEP_ENV is set)', async () => {
    const d = join(tmp, 'dump-N');
    expect((await ours('s6-dumpenv', ['-N', d], { A: '1', B: 'x\ny', EMPTY: '' })).status).toBe(0);
    expect(readFileSync(join(d, 'A'), 'latin1')).toBe('1\n');
    expect(readFileSync(join(d, 'B'), 'latin1')).toBe('x\ny\n');
    expect(readFileSync(join(d, 'EMPTY'), 'latin1')).toBe('\n');
    const env = envOf((await spawnAsync('/usr/bin/s6-envdir', ['-Lf', d, 'env', '-0'], { env: {} })).stdout);
    expect([env.get('A'), env.get('B'), env.get('EMPTY')]).toEqual(['1', 'x\ny', '']);
    // -n after -N: the last one wins.
    const d2 = join(tmp, 'dump-Nn');
    expect((await ours('s6-dumpenv', ['-N', '-n', d2], { A: '1' })).status).toBe(0);
    expect(readFileSync(join(d2, 'A'), 'latin1')).toBe('1');
  });
  it('creates the directory with -m mode, accepts an existing one, and does not create parents', async () => {
    const d = join(tmp, 'dump-m');
    expect((await ours('s6-dumpenv', ['-m', '0700', d], { A: '1' })).status).toBe(0);
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect((await ours('s6-dumpenv', [d], { A: '2' })).status).toBe(0);
    expect(readFileSync(join(d, 'A'), 'latin1')).toBe('2');
    const deep = join(tmp, 'no', 'such');
    expect(await ours('s6-dumpenv', [deep], { A: '1' })).toMatchObject({
      status: 111,
      stderr: `s6-dumpenv: fatal: unable to mkdir ${deep}: No such file or directory\n`,
    });
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    expect(await ours('s6-dumpenv', [file], { A: '1' })).toMatchObject({
      status: 111,
      stderr: `s6-dumpenv: fatal: unable to mkdir ${file}: Not a directory\n`,
    });
  });
  it('needs a directory, and an octal mode', async () => {
    expect(await ours('s6-dumpenv', [])).toMatchObject({ status: 100, stderr: 's6-dumpenv: usage: s6-dumpenv [ -N | -n ] [ -m mode ] dir\n' });
    expect((await ours('s6-dumpenv', ['-m', '9', join(tmp, 'x')])).status).toBe(100);
  });
});

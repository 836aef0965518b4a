// s6-envdir against the reference: first line or whole file, chomping, the 4095-byte clamp, nulls,
// unsetting, directory order and skalibs' env_merge order, and every error.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directBoth, outcome, scriptBoth } from './compare.js';

/** A private directory for this file's fixtures (0755: the tests that drop to nobody read it). */
const T = mkdtempSync(join(tmpdir(), 'elts-envdir-'));
chmodSync(T, 0o755);
afterAll(() => rmSync(T, { recursive: true, force: true }));
const D = join(T, 'envdir');

beforeAll(() => {
  rmSync(D, { recursive: true, force: true });
  mkdirSync(`${D}/a`, { recursive: true });
  const f = (n: string, c: string | Buffer) => writeFileSync(`${D}/a/${n}`, c);
  f('A', 'hello  \t\nsecond\n');
  f('B', 'x\0y\n');
  f('C', '');
  f('D', 'nonl');
  f('E', '  lead\n\n');
  f('.hid', 'v\n');
  f('F=G', 'v\n');
  f('H', 'a\nb\n\n');
  f('BIG', 'a'.repeat(5000));
  f('BIGNL', 'b'.repeat(5000) + '\n');
  f('T', 'y \t');
  f('W', ' \t\n');
  f('NL', '\n');
  mkdirSync(`${D}/sub/SUB`, { recursive: true });
  mkdirSync(`${D}/dangling`);
  symlinkSync('/nonexistent', `${D}/dangling/L`);
  mkdirSync(`${D}/perm`);
  writeFileSync(`${D}/perm/P`, 'v\n');
  chmodSync(`${D}/perm/P`, 0);
});

describe('s6-envdir', () => {
  for (const opts of ['', '-n', '-f', '-fn', '-L', '-Ln', '-Lf', '-Lfn', '-c:', '-fc:', '-I', '-i', '-If']) {
    it(`s6-envdir ${opts} (values, removals, order)`, () => {
      const args = opts ? [opts] : [];
      // C is removed (empty file): skalibs moves the last variable into its slot
      const { ours, ref } = directBoth('s6-envdir', [...args, `${D}/a`, 'env'], { env: { C: '1', B: '0', Z: '9', A: 'old' } });
      expect(ref.status).toBe(0);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  const errors: string[][] = [
    ['-c', '', `${D}/a`, 'true'],
    ['/nonexistent', 'true'],
    ['-I', '/nonexistent', 'true'],
    ['/etc/passwd', 'true'],
    ['-I', '/etc/passwd', 'true'],
    [`${D}/sub`, 'true'],
    [`${D}/dangling`, 'true'],
    ['-I', `${D}/dangling`, 'true'],
    [],
    [`${D}/a`],
    ['-x', `${D}/a`, 'true'],
    [`${D}/a`, 'nosuchprogram'],
  ];
  for (const args of errors) {
    it(`s6-envdir ${args.join(' ')}`, () => {
      const { ours, ref } = directBoth('s6-envdir', args);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('an unreadable file, after dropping privileges', () => {
    const { ours, ref } = directBoth('s6-setuidgid', ['nobody', 's6-envdir', `${D}/perm`, 'true']);
    expect(ref.status).toBe(111);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
  it('in an execline script, and in a block (no leak to the parent)', () => {
    const { ours, ref } = scriptBoth(`export A outer foreground { s6-envdir ${D}/a printenv A } printenv A`);
    expect(outcome(ours)).toEqual(outcome(ref));
  });
});

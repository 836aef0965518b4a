// envfile against the reference: the file syntax (comments, quotes, C escapes, continuations),
// syntax errors with their line, -i/-I, and reading standard input.
import { describe, expect, it, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directBoth, outcome } from './compare.js';

/** A private directory for this file's fixtures (0755: the tests that drop to nobody read it). */
const T = mkdtempSync(join(tmpdir(), 'elts-envfile-'));
chmodSync(T, 0o755);
afterAll(() => rmSync(T, { recursive: true, force: true }));
const F = join(T, 'envfile');

const cases = [
  'a=1',
  ' a = 1 ',
  'a=1 2  ',
  'a="x y "',
  'a= "x" y',
  'a="x\\ty\\n\\x41\\101\\e"',
  '# c\na=1\n   # c2\nb=2',
  'a',
  'a b=1',
  '=1',
  'a=\\\n  x',
  'a=x\\\n  y',
  'a=x\\y',
  'a="x\\\ny"',
  'a="unterminated',
  'a=1#x',
  'a=\nb',
  'a=""',
  'a="x" # c',
  'a==b',
  'a-b.c=1',
  'a="\\q"',
  "a='x'",
  'a="x"y',
  'a=1\na=2',
  '  \na=1',
  'a\\\nb=1',
  'a=\\\n',
  'a="\\0101"',
  'a="\\8"',
  'a="\\x4"',
  'a="\\x4g"',
  'a=1\r\nb=2',
  'a="x\ny"',
  'a="x"  ',
  'a=x\\\n  ',
  'a"b=1',
  'a\\b=1',
  'a#b=1',
  'a=1\n = 2',
  'a="\\"\\\\"',
  'a="\\x41\\x4a\\x4A"',
  'a="\\777"',
  'a="\\400"',
  'a= x  "y"  z ',
  'a=x\\\n\\\ny',
  '#x\\\na=1',
  'a=x \\\n  y',
  'a=\\ x',
  'a="\\\'\\?"',
  '\n\n\nx',
  'a=1\n\nb c',
  'Z=new\nA=again',
  '',
  'é=1\nk=\xe9',
];

describe('envfile', () => {
  for (const c of cases) {
    it(`parses ${JSON.stringify(c)}`, () => {
      writeFileSync(F, Buffer.from(c, 'latin1'));
      const { ours, ref } = directBoth('envfile', [F, 'env'], { env: { A: '0', Z: 'z', B: 'b' } });
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
  it('reads standard input with -', () => {
    for (const input of ['x=1\ny = "2"\n', 'bad line\n']) {
      const { ours, ref } = directBoth('envfile', ['-', 'env'], { input });
      expect(outcome(ours)).toEqual(outcome(ref));
    }
  });
  for (const args of [
    ['/nonexistent', 'true'],
    ['-I', '/nonexistent', 'true'],
    ['-i', '/nonexistent', 'true'],
    ['/etc', 'true'],
    ['-I', '/etc', 'true'],
    [],
    [F],
    ['-x', F, 'true'],
  ]) {
    it(`envfile ${args.join(' ')}`, () => {
      writeFileSync(F, 'a=1\n');
      const { ours, ref } = directBoth('envfile', args);
      expect(outcome(ours)).toEqual(outcome(ref));
    });
  }
});

// fnmatch(3) and glob(3) as interpreter/glob.ts does them (case -s, elglob).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatch, glob, GlobAborted, hasMagic } from '../../../interpreter/toolkit/glob.js';

describe('fnmatch', () => {
  it.each([
    ['a*', 'abc', {}, true],
    ['a?c', 'abc', {}, true],
    ['a?c', 'a/c', { pathname: true }, false],
    ['a*', 'a/b', {}, true],
    ['a*', 'a/b', { pathname: true }, false],
    ['*abc', '.abc', {}, true],
    ['*abc', '.abc', { period: true }, false],
    ['.*', '.abc', { period: true }, true],
    ['a/*', 'a/.b', { period: true, pathname: true }, false],
    ['a\\*', 'a*', {}, true],
    ['a\\*', 'ab', {}, false],
    ['a\\b', 'a\\b', { noescape: true }, true],
    ['a\\b', 'ab', {}, true],
    ['[!a]', 'b', {}, true],
    ['[^a]', 'a', {}, false],
    ['[]]', ']', {}, true],
    ['[[:digit:]]x', '5x', {}, true],
    ['[a-c]', 'b', {}, true],
    ['[', '[', {}, true],
    ['[a', 'a', {}, false],
    ['*a*b*c*', 'xaxbxcx', {}, true],
  ] as const)('%s vs %s %j', (p, s, f, want) => {
    expect(fnmatch(p, s, f)).toBe(want);
  });
});

describe('glob', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glob-spec-'));
  for (const f of ['a1', 'a2', 'b', '.h']) writeFileSync(join(dir, f), '');
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd/x'), '');
  const g = (p: string, o = {}) => glob(join(dir, p).replace(dir, dir), { sort: true, ...o }).map((x) => x.slice(dir.length + 1));

  it('expands, sorts and marks', () => {
    expect(g('a*')).toEqual(['a1', 'a2']);
    expect(g('*')).toEqual(['a1', 'a2', 'b', 'd']);
    expect(g('*', { mark: true })).toEqual(['a1', 'a2', 'b', 'd/']);
    expect(g('*/')).toEqual(['d/']);
    expect(g('*/*')).toEqual(['d/x']);
    expect(g('.*')).toEqual(['.', '..', '.h']);
  });

  it('no match: nothing, or the pattern with nocheck', () => {
    expect(g('z*')).toEqual([]);
    expect(glob(join(dir, 'z*'), { nocheck: true })).toEqual([join(dir, 'z*')]);
  });

  it('a pattern without wildcards is checked for existence and unescaped', () => {
    expect(g('a\\1')).toEqual(['a1']);
    expect(g('a\\1', { noescape: true })).toEqual([]);
  });

  it('reports unreadable directories, and stops with err', () => {
    const seen: string[] = [];
    expect(glob(join(dir, 'nodir/*'), { onError: (d) => seen.push(d) })).toEqual([]);
    expect(seen).toEqual([join(dir, 'nodir')]);
    expect(() => glob(join(dir, 'nodir/*'), { err: true })).toThrow(GlobAborted);
  });

  it('knows which patterns are magic', () => {
    expect(hasMagic('a*', false)).toBe(true);
    expect(hasMagic('a\\*', false)).toBe(false);
    expect(hasMagic('a\\*', true)).toBe(true);
    expect(hasMagic('a[', false)).toBe(false);
    expect(hasMagic('a[b]', false)).toBe(true);
  });
});

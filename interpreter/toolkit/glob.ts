// Shell patterns as glibc reads them: fnmatch(3) (case -s) and glob(3) (elglob, and elglob as a
// multisubstitute directive). Bytes are latin1 chars; classes are the C locale's.
import { lstatSync, opendirSync, statSync, type Dir } from 'node:fs';
import { toBuffer, fromBuffer } from '../language/bytes.js';

export interface FnmatchFlags {
  /** FNM_NOESCAPE: a backslash is an ordinary character. */
  noescape?: boolean;
  /** FNM_PERIOD: a leading period must be matched explicitly. */
  period?: boolean;
  /** FNM_PATHNAME: a slash must be matched explicitly. */
  pathname?: boolean;
}

const CLASS_TEST: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => (c >= 9 && c <= 13) || c === 32,
  blank: (c) => c === 9 || c === 32,
  punct: (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
  cntrl: (c) => c < 32 || c === 127,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/**
 * Reads a bracket expression starting at p[i] === '['. Returns the byte test and the index after
 * its ']', or null when it is not a valid bracket (then '[' is an ordinary character).
 */
function bracketAt(p: string, i: number, noescape: boolean): { test: (c: number) => boolean; next: number } | null {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  const tests: Array<(c: number) => boolean> = [];
  let first = true;
  for (;;) {
    if (j >= p.length) return null;
    let ch = p[j];
    if (ch === ']' && !first) {
      j++;
      break;
    }
    first = false;
    if (ch === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end < 0) return null;
      const t = CLASS_TEST[p.slice(j + 2, end)];
      if (!t) return null;
      tests.push(t);
      j = end + 2;
      continue;
    }
    if (ch === '\\' && !noescape) {
      j++;
      if (j >= p.length) return null;
      ch = p[j];
    }
    const lo = ch.charCodeAt(0);
    j++;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      let hiCh = p[j + 1];
      j += 2;
      if (hiCh === '\\' && !noescape) {
        if (j >= p.length) return null;
        hiCh = p[j++];
      }
      const hi = hiCh.charCodeAt(0);
      tests.push((c) => c >= lo && c <= hi);
    } else tests.push((c) => c === lo);
  }
  return { test: (c) => tests.some((t) => t(c)) !== negate, next: j };
}

/** fnmatch(3): true when the whole string matches the shell pattern. */
export function fnmatch(pattern: string, s: string, flags: FnmatchFlags = {}): boolean {
  const noescape = !!flags.noescape;
  const pathname = !!flags.pathname;
  const period = !!flags.period;
  const leadingDot = (si: number) => period && s[si] === '.' && (si === 0 || (pathname && s[si - 1] === '/'));
  const memo = new Set<number>();
  const W = s.length + 1;
  const go = (pi: number, si: number): boolean => {
    for (;;) {
      if (pi >= pattern.length) return si === s.length;
      const c = pattern[pi];
      if (c === '*') {
        while (pattern[pi] === '*') pi++;
        if (leadingDot(si)) return false;
        for (let k = si; k <= s.length; k++) {
          const key = pi * W + k;
          if (!memo.has(key)) {
            if (go(pi, k)) return true;
            memo.add(key);
          }
          if (k < s.length && pathname && s[k] === '/') break;
        }
        return false;
      }
      if (si >= s.length) return false;
      const sc = s[si];
      if (c === '?') {
        if ((pathname && sc === '/') || leadingDot(si)) return false;
        pi++;
        si++;
        continue;
      }
      if (c === '[') {
        const b = bracketAt(pattern, pi, noescape);
        if (b) {
          if ((pathname && sc === '/') || leadingDot(si) || !b.test(sc.charCodeAt(0))) return false;
          pi = b.next;
          si++;
          continue;
        }
      }
      let lit = c;
      if (c === '\\' && !noescape && pi + 1 < pattern.length) lit = pattern[++pi];
      if (lit !== sc) return false;
      pi++;
      si++;
    }
  };
  return go(0, 0);
}

/** True when a pattern has a wildcard glob(3) would expand ('[' only with a closing ']'). */
export function hasMagic(p: string, noescape: boolean): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && !noescape) i++;
    else if (c === '*' || c === '?') return true;
    else if (c === '[' && bracketAt(p, i, noescape)) return true;
  }
  return false;
}

function unescapePattern(p: string, noescape: boolean): string {
  if (noescape) return p;
  return p.replace(/\\([\s\S])/g, '$1');
}

export interface GlobOptions {
  /** GLOB_ERR: stop at the first directory that cannot be read. */
  err?: boolean;
  /** Called for a directory that cannot be read (glob's errfunc). */
  onError?: (dir: string, e: unknown) => void;
  /** Without GLOB_NOSORT: sort the result (C locale: by bytes). */
  sort?: boolean;
  /** GLOB_MARK: append a slash to directories. */
  mark?: boolean;
  /** GLOB_NOESCAPE. */
  noescape?: boolean;
  /** GLOB_NOCHECK: no match gives the pattern itself. */
  nocheck?: boolean;
}

/** Thrown when GLOB_ERR stops the expansion (GLOB_ABORTED), with the errno of the failure. */
export class GlobAborted extends Error {
  constructor(public readonly cause: unknown) {
    super('glob aborted');
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(toBuffer(path));
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(toBuffer(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The names in a directory in readdir order ("." and ".." first), or the error. */
function readNames(dir: string): string[] {
  let d: Dir;
  d = opendirSync(toBuffer(dir), { encoding: 'buffer' as BufferEncoding });
  const names = ['.', '..'];
  try {
    for (;;) {
      const e = d.readSync();
      if (!e) break;
      names.push(fromBuffer(e.name as unknown as Buffer));
    }
  } finally {
    d.closeSync();
  }
  return names;
}

function expand(pattern: string, o: GlobOptions, onlyDirs: boolean): string[] {
  const noescape = !!o.noescape;
  if (pattern.endsWith('/') && pattern.length > 1 && hasMagic(pattern, noescape)) {
    let base = pattern;
    while (base.length > 1 && base.endsWith('/')) base = base.slice(0, -1);
    return expand(base, o, true).map((p) => p + '/');
  }
  if (!hasMagic(pattern, noescape)) {
    const path = unescapePattern(pattern, noescape);
    if (!exists(path)) return [];
    if (onlyDirs && !isDir(path)) return [];
    return [path];
  }
  const slash = pattern.lastIndexOf('/');
  const file = slash < 0 ? pattern : pattern.slice(slash + 1);
  let dirs: Array<{ prefix: string; path: string }>;
  if (slash < 0) dirs = [{ prefix: '', path: '.' }];
  else {
    const dirpart = pattern.slice(0, slash);
    if (dirpart === '') dirs = [{ prefix: '/', path: '/' }];
    else if (hasMagic(dirpart, noescape)) dirs = expand(dirpart, o, true).map((d) => ({ prefix: d + '/', path: d }));
    else {
      const p = unescapePattern(dirpart, noescape);
      dirs = [{ prefix: p + '/', path: p }];
    }
  }
  const out: string[] = [];
  for (const d of dirs) {
    if (!hasMagic(file, noescape)) {
      const path = d.prefix + unescapePattern(file, noescape);
      if (exists(path) && (!onlyDirs || isDir(path))) out.push(path);
      continue;
    }
    let names: string[];
    try {
      names = readNames(d.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      o.onError?.(d.path, e);
      if (o.err) throw new GlobAborted(e);
      continue;
    }
    for (const n of names) {
      if (!fnmatch(file, n, { noescape, period: true })) continue;
      const path = d.prefix + n;
      if (onlyDirs && !isDir(path)) continue;
      out.push(path);
    }
  }
  return out;
}

/** glob(3): the paths matching a pattern. Throws GlobAborted under `err`. */
export function glob(pattern: string, o: GlobOptions = {}): string[] {
  let out = expand(pattern, o, false);
  if (out.length === 0) return o.nocheck ? [pattern] : [];
  if (o.mark) out = out.map((p) => (!p.endsWith('/') && isDir(p) ? p + '/' : p));
  if (o.sort) out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

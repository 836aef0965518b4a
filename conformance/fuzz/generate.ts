// Random script generators for differential fuzzing, weighted toward what breaks lexers and
// substitution: quotes, every escape form, backslashes at line ends, comments, braces and nested
// blocks, $ and ${} sequences, every kind of whitespace, control and non-ASCII bytes.
// Scripts are byte strings (one char per byte) and always end in `printargs ...`, a program that
// prints its argv NUL-separated, so the runner compares the argv each implementation built.

/** A small seeded PRNG (mulberry32), so a run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: R, n: number) => Math.floor(r() * n);

const LEX_PIECES = [
  'a',
  'b',
  'x',
  'n',
  't',
  'f',
  'r',
  'v',
  '0',
  '1',
  '7',
  '9',
  'F',
  'e',
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r',
  '\x0b',
  '\x0c',
  '\x01',
  '\x1f',
  '"',
  '"',
  '"',
  '\\',
  '\\',
  '\\',
  '#',
  '{',
  '{',
  '}',
  '}',
  '$',
  '${',
  '}',
  '\\0',
  '\\0x',
  '\\x',
  '\\1',
  '\\25',
  '\\\n',
  ' \\\n',
  '"\\',
  '\\"',
  '\xe9',
  '\xc3\xa9',
  '\xff',
  '\x80',
  'é',
  '{ ',
  ' }',
  ' { ',
  ' } ',
  '""',
  '"a b"',
  '# c\n',
];

/** A random script for the scanner: `printargs` followed by random bytes. */
export function lexScript(r: R): string {
  const n = 1 + int(r, 24);
  let s = 'printargs ';
  for (let i = 0; i < n; i++) s += pick(r, LEX_PIECES);
  if (r() < 0.3) s += pick(r, ['', '\n', ' ', '\\', '"', '}', '{']);
  return s;
}

const KEY_CHARS = ['A', 'B', 'x', '1', '_', '@', '#', '-'];
const VAL_PIECES = ['a', 'b', ' ', '  ', '\n', '\t', ':', ',', '$', '${A}', '$A', '\\', '{', '}', '1:a,', '0:,', '3:abc,', 'x y', '\\\\$A', ''];
const WORD_PIECES = [
  '$A',
  '${A}',
  '$B',
  '${B}',
  '\\$A',
  '\\\\${A}',
  '\\\\\\$A',
  'x',
  '-',
  '$',
  '${',
  '}',
  '{',
  '$A}',
  '${A$}',
  '$AB',
  ' ',
  'é',
  '$1',
  '${#}',
  '$@',
];

function key(r: R): string {
  if (r() < 0.7) return pick(r, ['A', 'B']);
  let k = '';
  const n = 1 + int(r, 3);
  for (let i = 0; i < n; i++) k += pick(r, KEY_CHARS);
  return k;
}

function value(r: R): string {
  let v = '';
  const n = int(r, 6);
  for (let i = 0; i < n; i++) v += pick(r, VAL_PIECES);
  return v;
}

function word(r: R): string {
  let w = '';
  const n = 1 + int(r, 4);
  for (let i = 0; i < n; i++) w += pick(r, WORD_PIECES);
  return w;
}

/** Quotes a byte string as an execline quoted string. */
export function q(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function transformOpts(r: R): string {
  const o: string[] = [];
  if (r() < 0.5) o.push('-s');
  if (r() < 0.3) o.push(pick(r, ['-C', '-c']));
  if (r() < 0.3) o.push(pick(r, ['-n', '-N']));
  if (r() < 0.3) o.push('-d', q(pick(r, ['', ' ', ':', ',:', '\n', 'a'])));
  return o.join(' ');
}

function directive(r: R): string {
  switch (int(r, 4)) {
    case 0:
      return `define ${transformOpts(r)} ${q(key(r))} ${q(value(r))}`;
    case 1:
      return `importas ${pick(r, ['', '-D ' + q(value(r)), '-i', '-u'])} ${transformOpts(r)} ${q(key(r))} ${pick(r, ['V1', 'V2', 'NOPE'])}`;
    case 2:
      return `multidefine ${pick(r, ['', '-0', '-r'])} ${q(value(r))} { ${Array.from({ length: 1 + int(r, 3) }, () => q(r() < 0.2 ? '' : key(r))).join(' ')} }`;
    default:
      return `elgetpositionals ${pick(r, ['', '-P 2'])}`;
  }
}

/** A random substitution script: a few directives, maybe grouped, then printargs with words. */
export function substScript(r: R): { script: string; env: Record<string, string>; args: string[] } {
  const lines: string[] = [];
  const n = 1 + int(r, 3);
  for (let i = 0; i < n; i++) {
    if (r() < 0.25) lines.push(`multisubstitute { ${directive(r)} ${directive(r)} }`);
    else lines.push(directive(r).replace(/^elgetpositionals/, 'elgetpositionals'));
  }
  const words: string[] = [];
  const m = 1 + int(r, 5);
  for (let i = 0; i < m; i++) words.push(r() < 0.7 ? q(word(r)) : word(r).replace(/[ {}"\\#]/g, ''));
  if (r() < 0.2) words.push('{', q(word(r)), '}');
  lines.push('printargs ' + words.join(' '));
  return {
    script: lines.join('\n') + '\n',
    env: { V1: value(r), V2: value(r) },
    args: r() < 0.5 ? [] : [value(r), value(r)].slice(0, 1 + int(r, 2)),
  };
}

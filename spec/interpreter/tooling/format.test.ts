// format(): on random scripts, the formatted script builds the same argv as the original through
// the run path's scanner, and formatting it again changes nothing; then the layout by hand.
import { describe, expect, it } from 'vitest';
import { lexScript, rng } from '../../../conformance/fuzz/generate.js';
import { scan } from '../../../interpreter/language/scanner.js';
import { type Node, ScriptError } from '../../../interpreter/tooling/cst.js';
import { format } from '../../../interpreter/tooling/format.js';
import { parse } from '../../../interpreter/tooling/parse.js';

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const WORDS = [
  'a',
  'b c',
  '""',
  '"x\\ty"',
  '\\#x',
  'a#b',
  '{x',
  'x}',
  '\\{',
  '"}"',
  '\xe9',
  '\xc3\xa9',
  '"\\0x7f"',
  '"a\\\nb"',
  '-',
  '--',
  '-x',
  '" "',
  'a\\ ',
  '$A',
  '${B}',
];
const SEP = [' ', ' ', ' ', '\n', '  ', '\t', '\r\n', ' # c\n', '\n# own\n', '\n\n', ' \\\n'];
const CHAIN: Array<(r: R, d: number) => string> = [
  (r, d) => `foreground ${block(r, d)}`,
  (r, d) => `background -d ${block(r, d)}`,
  (r, d) => `if ${pick(r, ['', '-n ', '-t ', '-x 3 '])}${block(r, d)}`,
  (r, d) => `ifelse ${block(r, d)} ${block(r, d)}`,
  (r, d) => `ifthenelse -s ${block(r, d)} ${block(r, d)} ${block(r, d)}`,
  (r, d) => `backtick ${pick(r, ['', '-E ', '-D x ', '-Dx '])}V ${block(r, d)}`,
  (r, d) => `pipeline ${pick(r, ['', '-w ', '-r '])}${block(r, d)}`,
  (r) => `define ${pick(r, ['', '-s ', '-d : ', '-- '])}A ${word(r)}`,
  (r) => `importas ${pick(r, ['', '-i ', '-D def ', '-uD x '])}A B`,
  (r) => `export K ${word(r)}`,
  () => `fdmove -c 2 1`,
  (r) => `redirfd -w 1 ${word(r)}`,
  (r) => `cd ${word(r)}`,
  () => `s6-setuidgid nobody`,
  () => `s6-softlimit -m 100 -z`,
  (r) => `forx -E x { ${word(r)} ${word(r)} }${sep(r)}`,
  (r, d) => `forbacktickx -E x ${block(r, d)}`,
  (r, d) => `case -- ${word(r)} { a ${block(r, d)} "b.*" ${block(r, d)} }`,
  (r, d) => `trap { SIGTERM ${block(r, d)} } `,
  () => `multisubstitute { define A a importas -i B B elglob G * }`,
  () => `multidefine -r "a b" { A "" B }`,
  () => `wait { 1 2 }`,
  (r) => `unknown-cmd ${word(r)} -x`,
  () => `importas -z A B`, // an option importas does not take: left on one line
];
const TERMINAL = ['echo hi', 'printargs a b', 'exit 0', 's6-echo -n x', 'eltest -n a', 'true', ''];

function word(r: R): string {
  return pick(r, WORDS);
}
function sep(r: R): string {
  return pick(r, SEP);
}
function chain(r: R, d: number): string {
  let s = '';
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) s += pick(r, CHAIN)(r, d + 1) + sep(r);
  return s + pick(r, TERMINAL);
}
function block(r: R, d: number): string {
  if (d > 3 || r() < 0.15) return pick(r, ['{ }', '{\n}', '{ # c\n}']);
  return `{${sep(r)}${chain(r, d)}${sep(r)}}`;
}
/** A random script of execline commands, with comments, blank lines, CRLF, quotes and escapes between its words. */
function chainScript(r: R): string {
  let s = r() < 0.3 ? '#!/bin/execlineb -P\n' : '';
  s += chain(r, 0);
  // Layout noise: the separators already vary; sometimes the whole script is on one line.
  return r() < 0.2 ? s.replace(/\n(?![^\n]*#)/g, ' ') : s;
}

/** The comments' texts, in order, and how many words come before each: format moves none of them. */
function comments(s: string): string[] {
  const p = parse(s);
  const starts: number[] = [];
  const walk = (ns: Node[]) => {
    for (const n of ns) {
      starts.push(n.span.start.offset);
      if (n.kind === 'block') walk(n.items);
    }
  };
  walk(p.items);
  return p.comments.map((c) => `${starts.filter((o) => o < c.span.start.offset).length}:${c.text.replace(/[\x01-\x20]+$/, '')}`);
}

describe('format against the scanner', () => {
  for (const [name, gen, seed] of [
    ['chains of execline commands', chainScript, 2401],
    ['the fuzzer’s lexer scripts', lexScript, 2402],
  ] as const) {
    it(`${name}: the same argv, and idempotent (random scripts)`, () => {
      const r = rng(seed);
      const bad: string[] = [];
      let valid = 0;
      for (let k = 0; k < 8000 && bad.length < 5; k++) {
        const s = gen(r);
        let want: string[];
        try {
          want = scan(s);
        } catch {
          expect(() => format(s), JSON.stringify(s)).toThrow(ScriptError);
          continue;
        }
        valid++;
        const f = format(s);
        const g = format(f);
        if (JSON.stringify(scan(f)) !== JSON.stringify(want)) bad.push(`argv changed: ${JSON.stringify(s)} -> ${JSON.stringify(f)}`);
        else if (g !== f) bad.push(`not idempotent: ${JSON.stringify(s)} -> ${JSON.stringify(f)} -> ${JSON.stringify(g)}`);
        else if (JSON.stringify(comments(f)) !== JSON.stringify(comments(s))) bad.push(`comments moved: ${JSON.stringify(s)} -> ${JSON.stringify(f)}`);
        else if (f !== '' && (!f.endsWith('\n') || f.split('\n').some((l) => /[\x01-\x20]$/.test(l))))
          bad.push(`not one canonical layout: ${JSON.stringify(s)} -> ${JSON.stringify(f)}`);
      }
      expect(bad).toEqual([]);
      expect(valid).toBeGreaterThan(2000);
    });
  }
});

describe('the layout', () => {
  const cases: Array<[string, string, string]> = [
    [
      'one command per line where the chain is linear',
      'define A a importas -i B B export C c s6-setuidgid nobody echo $A',
      'define A a\nimportas -i B B\nexport C c\ns6-setuidgid nobody\necho $A\n',
    ],
    [
      'blocks indented, { at the end of the line, } on its own line',
      'foreground { if { eltest -e /x } echo yes } ifelse { true } { echo a } echo b',
      'foreground {\n  if {\n    eltest -e /x\n  }\n  echo yes\n}\nifelse {\n  true\n} {\n  echo a\n}\necho b\n',
    ],
    ['an empty block', 'foreground { } echo', 'foreground { }\necho\n'],
    ['quotes only where needed, control bytes as escapes', 'echo "abc" "a b" "" "#x" a#b "\t" "x "', 'echo abc "a b" "" \\#x a#b "\\t" "x "\n'],
    [
      'comments kept, at the end of a line or on their own',
      '#!/bin/execlineb -P\n# about\nforeground { # why\n  echo a   # trailing  \n}\n# last\n',
      '#!/bin/execlineb -P\n# about\nforeground { # why\n  echo a # trailing\n}\n# last\n',
    ],
    ['a comment inside a command breaks its line', 'define A # the key\n  value\necho', 'define A # the key\n  value\necho\n'],
    ['one blank line kept between commands', 'cd /\n\n\n\nexport A a\necho', 'cd /\n\nexport A a\necho\n'],
    ['CRLF becomes LF', 'cd /\r\necho a\r\n', 'cd /\necho a\n'],
    ['unknown commands and arguments keep their words on one line', 'printargs a\nb\n  c', 'printargs a b c\n'],
    ['options the table does not know keep the rest on one line', 'importas -z A B echo x', 'importas -z A B echo x\n'],
    ['forx values on one line', 'forx -E x { 1 2 3 } echo $x', 'forx -E x {\n  1 2 3\n}\necho $x\n'],
    [
      'case: a regex and its block per line',
      'case -- $x { "a.*" { echo a } b { echo b } } echo none',
      'case -- $x {\n  a.* {\n    echo a\n  }\n  b {\n    echo b\n  }\n}\necho none\n',
    ],
    ['multisubstitute: a directive per line', 'multisubstitute { define A a importas B B } echo', 'multisubstitute {\n  define A a\n  importas B B\n}\necho\n'],
    ['an empty script', '  \n# \n', '#\n'],
    ['nothing at all', '', ''],
  ];
  for (const [what, src, want] of cases) {
    it(what, () => {
      expect(format(src)).toBe(want);
      expect(format(want)).toBe(want);
      expect(scan(want)).toEqual(scan(src));
    });
  }

  it('keeps a #! comment that is not the #! line off the first byte (the kernel would run it)', () => {
    for (const src of ['\n#!/bin/sh\necho hi', '  #!/x\na', '\n\n#!/bin/sh\n']) {
      const out = format(src);
      expect(out.startsWith('#!'), JSON.stringify(out)).toBe(false);
      expect(format(out)).toBe(out);
      expect(parse(out).shebang).toBe(null);
    }
    expect(format('#!/bin/sh\necho hi')).toBe('#!/bin/sh\necho hi\n');
  });

  it('leaves a script with bytes after a NUL as it is', () => {
    expect(format('echo  a\0 junk')).toBe('echo  a\0 junk');
  });

  it('refuses a script execlineb refuses, with every problem', () => {
    let err: unknown;
    try {
      format('echo "a\n}\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScriptError);
    expect((err as ScriptError).errors.map((e) => e.id)).toEqual(['unterminated-quote']);
  });

  it('blocks nested 100,000 deep: laid out like any, the indentation growing up to 200 columns', () => {
    const N = 100_000;
    const out = format(`#!/bin/execlineb -P\n${'foreground { '.repeat(N)}s6-echo x${' }'.repeat(N)}\n`);
    const indent = (d: number) => ' '.repeat(Math.min(2 * d, 200));
    /** Line i: the #! line, each level's foreground, the innermost command, each block's }, innermost first, and the end. */
    const want = (i: number) => {
      if (i === 0) return '#!/bin/execlineb -P';
      if (i <= N) return `${indent(i - 1)}foreground {`;
      if (i === N + 1) return `${indent(N)}s6-echo x`;
      return i < 2 * N + 2 ? `${indent(2 * N + 1 - i)}}` : '';
    };
    const lines = out.split('\n');
    expect(lines.length).toBe(2 * N + 3);
    expect(lines.findIndex((l, i) => l !== want(i))).toBe(-1);
    expect(lines.slice(99, 104).map((l) => l.length - 'foreground {'.length)).toEqual([196, 198, 200, 200, 200]);
  });

  it('past 100 levels: the same argv, idempotent, comments and broken lines indented from 200 columns', () => {
    const src = `${'foreground { if -n { # why\n'.repeat(75)}define A # the key\n value s6-echo x${' }'.repeat(150)}\n`;
    const out = format(src);
    expect(scan(out)).toEqual(scan(src));
    expect(format(out)).toBe(out);
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => l.length - l.trimStart().length))).toBe(202);
    const at = (n: number, text: string) => `${' '.repeat(n)}${text}`;
    expect(lines.slice(99, 102)).toEqual([at(198, 'if -n { # why'), at(200, 'foreground {'), at(200, 'if -n { # why')]);
    expect(lines.slice(149, 155)).toEqual([
      at(200, 'if -n { # why'),
      at(200, 'define A # the key'),
      at(202, 'value'),
      at(200, 's6-echo x'),
      at(200, '}'),
      at(200, '}'),
    ]);
    expect(lines.slice(-4)).toEqual([at(4, '}'), at(2, '}'), '}', '']);
  });

  it('takes bytes, and text with chars above 255', () => {
    expect(format(Buffer.from('echo  \xff', 'latin1'))).toEqual(Buffer.from('echo \xff\n', 'latin1'));
    expect(format('echo   €   "é"')).toBe('echo € é\n');
  });
});

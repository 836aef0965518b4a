// parse() and toArgv() against the run path's scanner, the truth: on random scripts both build
// the same argv or both refuse the script; then the tree itself by hand (positions, comments,
// the shebang, line endings, every problem reported where it starts).
import { describe, expect, it } from 'vitest';
import { lexScript, rng } from '../../../conformance/fuzz/generate.js';
import { scan } from '../../../interpreter/language/scanner.js';
import { type Block, type Script, ScriptError, toArgv, type Word } from '../../../interpreter/tooling/cst.js';
import { parse } from '../../../interpreter/tooling/parse.js';

/** The scanner's argv, or 'fails'. */
function scanned(s: string): string[] | 'fails' {
  try {
    return scan(s);
  } catch {
    return 'fails';
  }
}
/** parse + toArgv's argv, or 'fails' (and then parse reported a problem). */
function parsed(s: string): string[] | 'fails' {
  const p = parse(s);
  if (p.errors.length) {
    expect(() => toArgv(p)).toThrow(ScriptError);
    return 'fails';
  }
  return toArgv(p);
}

/** Pieces for scripts dense in the lexer's corners: brace words, `{\` continuations, numeric escapes, comments, CRLF, NUL. */
const PIECES = [
  'a',
  'b c',
  '{ ',
  '} ',
  ' { ',
  ' } ',
  '{\\\n',
  '}\\\n',
  '{\\',
  '}\\',
  '{\\x',
  '}\\ ',
  '{x',
  '}y',
  '"q r"',
  '"\\065"',
  '"\\0x4',
  '"\\12',
  '"\\0"',
  '"\\08"',
  '"\\0xg"',
  '"\\256"',
  '\\\n',
  '\n',
  '\r\n',
  '# c\n',
  '#!x\n',
  '\\"',
  'x\\\ny',
  '"a\\\nb"',
  '\t',
  '\0',
  '\xe9',
  '\xff\xfe',
  '"',
  '\\',
  '{',
  '}',
  ' ',
];

function pieceScript(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 14);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

describe('parse + toArgv against the scanner', () => {
  for (const [name, gen, seed] of [
    ['the fuzzer’s lexer scripts', lexScript, 1301],
    ['scripts of lexer corners', pieceScript, 1302],
  ] as const) {
    it(`${name}: same argv, or both refuse (20000 random scripts)`, () => {
      const r = rng(seed);
      let ok = 0;
      let failed = 0;
      const mismatches: string[] = [];
      for (let k = 0; k < 20000; k++) {
        const s = gen(r);
        const want = scanned(s);
        const got = parsed(s);
        if (want === 'fails') failed++;
        else ok++;
        if (JSON.stringify(want) !== JSON.stringify(got) && mismatches.length < 5)
          mismatches.push(`${JSON.stringify(s)}: scanner ${JSON.stringify(want)}, parse ${JSON.stringify(got)}`);
      }
      expect(mismatches).toEqual([]);
      // Both kinds were really exercised.
      expect(ok).toBeGreaterThan(3000);
      expect(failed).toBeGreaterThan(3000);
    });
  }

  const cases: string[] = [
    '',
    'echo hi',
    'echo a\r\nb\r\n',
    '#!/usr/bin/execlineb -P\necho x # y\n',
    'foreground { if { true } echo a } echo b',
    'a { { { b } } } c',
    'echo "a\\tb\\\nc\\0x41\\101\\0101\\q" a"b c"d',
    'echo \xe9\xff "\x80\xc3\xa9"',
    'echo {\\x } { {\\x }',
    'a {\\\nb',
    'a {\\\n# c\n}\\\nb',
    'x { a {\\\n{ b } }',
    'x { a }\\\n}',
    'a {\\',
    'echo "\\065',
    'echo x\0y "',
    '{',
    'a }',
    'a "b',
    'a b\\',
    'a "\\0"',
  ];
  for (const s of cases) {
    it(JSON.stringify(s), () => {
      expect(parsed(s)).toEqual(scanned(s));
    });
  }
});

describe('the tree', () => {
  it('gives each word its source text, its value, its quoting and its place (1-based line and column, byte offset)', () => {
    const p = parse('echo "a b"\n  x\\ y');
    expect(p.errors).toEqual([]);
    expect(p.items).toEqual([
      { kind: 'word', raw: 'echo', value: 'echo', quoted: false, span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 4, line: 1, column: 5 } } },
      { kind: 'word', raw: '"a b"', value: 'a b', quoted: true, span: { start: { offset: 5, line: 1, column: 6 }, end: { offset: 10, line: 1, column: 11 } } },
      { kind: 'word', raw: 'x\\ y', value: 'x y', quoted: false, span: { start: { offset: 13, line: 2, column: 3 }, end: { offset: 17, line: 2, column: 7 } } },
    ]);
  });

  it('nests blocks, with their braces', () => {
    const p = parse('if {\n  a { b }\n}\n');
    const b = p.items[1] as Block;
    expect(b.kind).toBe('block');
    expect(b.open.start).toEqual({ offset: 3, line: 1, column: 4 });
    expect(b.close?.start).toEqual({ offset: 15, line: 3, column: 1 });
    expect(b.span).toEqual({ start: b.open.start, end: { offset: 16, line: 3, column: 2 } });
    expect(b.items.map((n) => n.kind)).toEqual(['word', 'block']);
    expect(((b.items[1] as Block).items[0] as Word).value).toBe('b');
    expect(toArgv(p)).toEqual(['if', ' a', '  b', ' ', '']);
  });

  it('keeps the comments and the shebang line, and tells the line endings', () => {
    const p = parse('#!/bin/execlineb -P\r\n# one\r\necho a#b # two\r\n');
    expect(p.shebang).toEqual({ text: '#!/bin/execlineb -P\r', span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 20, line: 1, column: 21 } } });
    expect(p.comments.map((c) => [c.text, c.span.start.line, c.span.start.column])).toEqual([
      ['#!/bin/execlineb -P\r', 1, 1],
      ['# one\r', 2, 1],
      ['# two\r', 3, 10],
    ]);
    expect(p.lineEndings).toBe('crlf');
    expect(toArgv(p)).toEqual(['echo', 'a#b']);
    expect(parse('a\nb\r\n').lineEndings).toBe('mixed');
    expect(parse('a\nb\n').lineEndings).toBe('lf');
    expect(parse('a b').lineEndings).toBe('none');
    expect(parse('# not a shebang\n').shebang).toBeNull();
  });

  it('counts bytes: a non-UTF-8 byte is one column, UTF-8 text is its bytes', () => {
    const p = parse('\xe9 x');
    expect((p.items[1] as Word).span.start.column).toBe(3);
    expect((p.items[0] as Word).value).toBe('\xe9');
    // Text with a char above 255 is taken as UTF-8: é is two bytes.
    const t = parse('€ é x');
    expect(t.source).toBe('\xe2\x82\xac \xc3\xa9 x');
    expect((t.items[2] as Word).span.start).toEqual({ offset: 7, line: 1, column: 8 });
    // A Uint8Array is the script's bytes.
    expect(toArgv(parse(Uint8Array.from([0x61, 0x20, 0xff])))).toEqual(['a', '\xff']);
  });

  it('ends the script at a NUL byte, and says where', () => {
    const p = parse('a b\0 c }');
    expect(p.errors).toEqual([]);
    expect(p.nul).toEqual({ offset: 3, line: 1, column: 4 });
    expect(toArgv(p)).toEqual(['a', 'b']);
  });

  it('reports every problem in one run, each where it starts', () => {
    const p = parse('foreground { echo "a\\400" }\n}\nif { echo x\necho "oops\n');
    expect(p.errors.map((e) => [e.id, e.span.start.line, e.span.start.column, e.span.end.column])).toEqual([
      ['bad-escape', 1, 21, 25],
      ['stray-close', 2, 1, 2],
      ['unclosed-block', 3, 4, 5],
      ['unterminated-quote', 4, 6, 7],
    ]);
    // The tree is still built around them.
    expect(p.items.map((n) => n.kind)).toEqual(['word', 'block', 'word', 'block']);
    expect((p.items[3] as Block).close).toBeNull();
  });

  it('reports an unterminated quote where it opens, and every unclosed block', () => {
    expect(parse('a "b\nc d').errors.map((e) => [e.id, e.span.start.line, e.span.start.column])).toEqual([['unterminated-quote', 1, 3]]);
    expect(parse('a { b {\nc').errors.map((e) => [e.id, e.span.start.column])).toEqual([
      ['unclosed-block', 3],
      ['unclosed-block', 7],
    ]);
    expect(parse('a\\').errors.map((e) => e.id)).toEqual(['trailing-backslash']);
    expect(parse('"\\0x" "\\0q" "\\0" "\\999"').errors.map((e) => [e.id, e.span.start.column, e.span.end.column])).toEqual([
      ['bad-escape', 2, 5],
      ['bad-escape', 8, 10],
      ['bad-escape', 14, 16],
      ['bad-escape', 19, 23],
    ]);
  });

  it('a `{\\` continuation keeps the brace for the next word, and says the exact argv when a brace comes between', () => {
    const glued = parse('a {\\\n# c\nb');
    expect(glued.items[1]).toMatchObject({ kind: 'word', value: '{b', raw: '{\\\n# c\nb' });
    expect(toArgv(glued)).toEqual(scan('a {\\\n# c\nb'));
    const inBlock = parse('a {\\\n{ b }');
    expect(((inBlock.items[1] as Block).items[0] as Word).arg).toBe('{ b');
    expect(toArgv(inBlock)).toEqual(scan('a {\\\n{ b }'));
    const atClose = parse('x { a }\\\n}');
    expect((atClose.items[1] as Block).end).toBe(' }');
    expect(toArgv(atClose)).toEqual(scan('x { a }\\\n}'));
  });

  it('parses deeply nested blocks (past the parser’s depth, the same tree another way)', () => {
    for (const d of [150, 250, 3000]) {
      const s = `${'a { '.repeat(d)}b }${' }'.repeat(d)} c`;
      const p = parse(s);
      expect(p.errors.map((e) => e.id)).toEqual(['stray-close']);
      expect(parse(s.slice(0, -4)).errors).toEqual([]);
      expect(toArgv(parse(s.slice(0, -4)))).toEqual(scan(s.slice(0, -4)));
      expect(parse(`${'{ '.repeat(d)}x`).errors.length).toBe(d);
    }
  });

  // 100,000 levels: the scanner's argv for them is gigabytes of spaces (a word inside n blocks
  // gets n), so the tree and the argv are checked by hand, the argv by its words' lengths and a
  // sample of them.
  const N = 100_000;
  const deep = `${'foreground { '.repeat(N)}s6-echo x${' }'.repeat(N)}`;
  let tree: Script | undefined;
  const deepTree = () => (tree ??= parse(deep));

  it('parses blocks nested 100,000 deep, every brace where it is', () => {
    expect(deepTree().errors).toEqual([]);
    const wrong: string[] = [];
    let items = deepTree().items;
    for (let d = 0; d < N && wrong.length < 5; d++) {
      const [w, b] = items;
      const close = 13 * N + 9 + 2 * (N - 1 - d) + 1;
      if (items.length !== 2 || w.kind !== 'word' || w.value !== 'foreground' || w.span.start.offset !== 13 * d) wrong.push(`level ${d}: ${JSON.stringify(w)}`);
      else if (b.kind !== 'block' || b.open.start.offset !== 13 * d + 11 || b.close?.start.offset !== close || b.span.end.offset !== close + 1)
        wrong.push(`level ${d}: block ${JSON.stringify({ ...b, items: undefined })}`);
      else items = b.items;
    }
    expect(wrong).toEqual([]);
    expect(items.map((n) => n.kind === 'word' && n.value)).toEqual(['s6-echo', 'x']);
    // every block unclosed: each reported, in source order
    const open = parse(`${'{ '.repeat(N)}x`);
    expect(open.errors.length).toBe(N);
    expect(open.errors.every((e, i) => e.id === 'unclosed-block' && e.span.start.offset === 2 * i)).toBe(true);
  });

  it('toArgv: blocks nested 100,000 deep', () => {
    const argv = toArgv(deepTree());
    /** argv[i] as its leading spaces and its word: each level's foreground, the innermost words, then each block's end, innermost first. */
    const want = (i: number): [number, string] => {
      if (i < N) return [i, 'foreground'];
      if (i === N) return [N, 's6-echo'];
      if (i === N + 1) return [N, 'x'];
      return [2 * N + 1 - i, ''];
    };
    expect(argv.length).toBe(2 * N + 2);
    expect(argv.findIndex((a, i) => a.length !== want(i)[0] + want(i)[1].length)).toBe(-1);
    for (let i = 0; i < argv.length; i += 9973) expect(argv[i]).toBe(' '.repeat(want(i)[0]) + want(i)[1]);
    for (const i of [N - 1, N, N + 1, N + 2, 2 * N + 1]) expect(argv[i]).toBe(' '.repeat(want(i)[0]) + want(i)[1]);
  });
});

import { describe, expect, it } from 'vitest';
import { scan, ScanError } from '../../../interpreter/language/scanner.js';

// Expected argvs were read off the reference (execline 2.9.3) with `execlineb -c SCRIPT`.
const cases: Array<[string, string[]]> = [
  ['echo hi', ['echo', 'hi']],
  ['  echo\t\r\f\v hi \n', ['echo', 'hi']],
  ['echo a\x01b', ['echo', 'a', 'b']],
  ['echo "a b" c', ['echo', 'a b', 'c']],
  ['echo ab"c d"e', ['echo', 'abc de']],
  ['echo ""', ['echo', '']],
  ['echo "\\a\\b\\t\\n\\v\\f\\r"', ['echo', '\x07\x08\t\n\x0b\x0c\r']],
  ['echo "\\0x41" "\\101" "\\0101" "\\q" "\\0xfg"', ['echo', 'A', 'e', 'A', 'q', '\x0fg']],
  ['echo "\\255" "\\0377" "\\0xff"', ['echo', '\xff', '\xff', '\xff']],
  ['echo "\\1a"', ['echo', '\x01a']],
  ['echo "a\\\nb"', ['echo', 'ab']],
  ['echo a\\\nb', ['echo', 'a\nb']],
  ['echo a \\\nb', ['echo', 'a', 'b']],
  ['echo \\', ['echo']],
  ['echo a \\', ['echo', 'a']],
  ['echo a\\ b', ['echo', 'a b']],
  ['echo \\ \\#', ['echo', ' #']],
  ['echo a#b #c', ['echo', 'a#b']],
  ['# comment\necho x # y\n', ['echo', 'x']],
  ['echo { a } b', ['echo', ' a', '', 'b']],
  ['echo { { a } }', ['echo', '  a', ' ', '']],
  ['echo "{" "}"', ['echo', '{', '}']],
  ['echo {"a"', ['echo', '{a']],
  ['echo }"a"', ['echo', '}a']],
  ['echo {\\x', ['echo', '{x']],
  ['echo { \\x }', ['echo', ' x', '']],
  ['echo "\\01', ['echo', '\x01']],
  ['echo "\\0x41', ['echo', 'A']],
  ['echo x\0y', ['echo', 'x']],
  ['', []],
  ['   # only a comment', []],
];

describe('scan', () => {
  for (const [src, want] of cases) {
    it(JSON.stringify(src), () => {
      expect(scan(src)).toEqual(want);
    });
  }

  const errors: Array<[string, string, number, number]> = [
    ['foo {', 'syntax error', 1, 5],
    ['foo }', 'unmatched }', 1, 5],
    ['foo { a', 'unmatched {', 1, 5],
    ['echo {x }', 'unmatched }', 1, 9],
    ['echo a\\', 'syntax error', 1, 8],
    ['echo "abc', 'syntax error', 1, 10],
    ['echo "\\400"', 'syntax error', 1, 11],
    ['echo "\\0400"', 'syntax error', 1, 12],
    ['echo "\\0"', 'syntax error', 1, 9],
    ['echo "\\00"', 'syntax error', 1, 10],
    ['echo "\\08"', 'syntax error', 1, 9],
    ['echo "\\0x"', 'syntax error', 1, 10],
    ['echo "\\256"', 'syntax error', 1, 11],
    ['a\n  b {\n c', 'unmatched {', 2, 5],
  ];
  for (const [src, kind, line, col] of errors) {
    it(`rejects ${JSON.stringify(src)} as ${kind} at ${line}:${col}`, () => {
      let err: unknown;
      try {
        scan(src);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ScanError);
      const e = err as ScanError;
      expect(e.kind).toBe(kind);
      expect([e.line, e.column]).toEqual([line, col]);
    });
  }

  it('does not recurse on nesting depth', () => {
    const depth = 10000;
    const src = 'x ' + '{ '.repeat(depth) + 'y ' + '} '.repeat(depth);
    const out = scan(src);
    expect(out.length).toBe(2 + depth);
    expect(out[1]).toBe(' '.repeat(depth) + 'y');
  });
});

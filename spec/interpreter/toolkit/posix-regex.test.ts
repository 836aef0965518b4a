// The regcomp/regexec emulation (interpreter/ere.ts) as case uses it: BRE rewriting, flags, the
// leftmost-longest whole match and glibc's choice of subexpressions, checked against values
// taken from glibc's regexec.
import { describe, expect, it } from 'vitest';
import { basicToExtended, compilePosix, EreError, execPosix, type PosixFlags } from '../../../interpreter/toolkit/ere.js';

function spans(p: string, s: string, flags: PosixFlags = {}): string {
  const m = execPosix(compilePosix(p, flags), s);
  return m ? m.map((x) => (x ? `${x[0]},${x[1]}` : '-1,-1')).join(' ') : 'nomatch';
}

describe('basicToExtended', () => {
  it.each([
    ['\\(ab\\)*', '(ab)*'],
    ['a\\{2\\}', 'a{2}'],
    ['a{2}', 'a\\{2\\}'],
    ['ab+', 'ab\\+'],
    ['ab\\+', 'ab+'],
    ['a\\|b', 'a|b'],
    ['*a', '\\*a'],
    ['\\(*a\\)', '(\\*a)'],
    ['a^b', 'a\\^b'],
    ['^a$', '^a$'],
    ['a$b', 'a\\$b'],
    ['\\(a$\\)', '(a$)'],
    ['[(+]x', '[(+]x'],
    ['\\(a\\)\\1', '(a)\\1'],
  ])('%s -> %s', (bre, ere) => {
    expect(basicToExtended(bre)).toBe(ere);
  });
});

describe('execPosix (values from glibc regexec)', () => {
  it.each([
    ['(a|ab)(bc|c)', 'abc', '0,3 0,1 1,3'],
    ['((a)|b)*', 'ab', '0,2 1,2 0,1'],
    ['a|ab', 'xab', '1,3'],
    ['(a|ab)(c|bcd)(d*)', 'abcd', '0,4 0,1 1,4 4,4'],
    ['(.*)(b+)', 'abbb', '0,4 0,3 3,4'],
    ['(a*)+', 'aaa', '0,3 0,3'],
    ['x*(a|ab)', 'xab', '0,3 1,3'],
    ['(a|b)*c', 'abc', '0,3 1,2'],
    ['(a*)?', '', '0,0 0,0'],
    ['(((a)|b)*)|a', 'ab', '0,2 0,2 1,2 0,1'],
    ['^(a)?b(c)?$', 'ab', '0,2 0,1 -1,-1'],
    ['([[:digit:]]{4})-([0-9]{2})', 'x2024-01y', '1,8 1,5 6,8'],
    ['b', 'abc', '1,2'],
    ['z', 'abc', 'nomatch'],
  ])('%s on %j', (p, s, want) => {
    expect(spans(p, s)).toBe(want);
  });

  it('REG_NEWLINE: . and [^...] stop at newlines, ^ and $ match at them', () => {
    expect(spans('^b$', 'a\nb', { newline: true })).toBe('2,3');
    expect(spans('a.b', 'a\nb', { newline: true })).toBe('nomatch');
    expect(spans('a[^x]b', 'a\nb', { newline: true })).toBe('nomatch');
    expect(spans('a.b', 'a\nb')).toBe('0,3');
  });

  it('REG_ICASE folds ASCII letters only', () => {
    expect(spans('^abc$', 'ABC', { icase: true })).toBe('0,3');
    expect(spans('[a-c]+', 'xBCa', { icase: true })).toBe('1,4');
    expect(spans('\xe9', '\xc9', { icase: true })).toBe('nomatch');
  });

  it('basic expressions', () => {
    expect(spans('^\\(ab\\)*$', 'abab', { basic: true })).toBe('0,4 2,4');
    expect(spans('^ab+$', 'ab+', { basic: true })).toBe('0,3');
    expect(spans('^\\(a\\)\\1$', 'aa', { basic: true })).toBe('0,2 0,1');
  });

  it.each([
    ['(', 'Unmatched ( or \\('],
    ['a{1', 'Unmatched \\{'],
    ['[[:foo:]]', 'Invalid character class name'],
    ['[z-a]', 'Invalid range end'],
    ['*a', 'Invalid preceding regular expression'],
    ['a\\', 'Trailing backslash'],
    ['(a)\\2', 'Invalid back reference'],
  ])('refuses %s with glibc text', (p, msg) => {
    expect(() => compilePosix(p)).toThrow(EreError);
    try {
      compilePosix(p);
    } catch (e) {
      expect((e as EreError).message).toBe(msg);
    }
  });
});

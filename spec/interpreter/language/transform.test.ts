import { describe, expect, it } from 'vitest';
import { transform, decodeNetstrings, NetstringError, DEFAULT_DELIM } from '../../../interpreter/language/transform.js';

const t = (o: Partial<{ split: boolean; crunch: boolean; chomp: boolean; delim: string }>) => ({
  split: false,
  crunch: false,
  chomp: false,
  delim: DEFAULT_DELIM,
  ...o,
});

// Expected values read off the reference with `define [opts] A VALUE printf [%s] $A`.
describe('transform', () => {
  it('keeps a value whole without -s', () => expect(transform('a b', t({}))).toEqual(['a b']));
  it('splits, leading and inner delimiters giving empty words', () => expect(transform('  a  b  ', t({ split: true }))).toEqual(['', '', 'a', '', 'b', '']));
  it('crunches before splitting', () => expect(transform('  a  b  ', t({ split: true, crunch: true }))).toEqual(['', 'a', 'b']));
  it('crunch + chomp + split', () => expect(transform('  a  b  ', t({ split: true, crunch: true, chomp: true }))).toEqual(['', 'a', 'b']));
  it('crunches without splitting', () => expect(transform('a  b', t({ crunch: true }))).toEqual(['a b']));
  it('chomps one trailing delimiter', () => expect(transform('ab\n', t({ chomp: true }))).toEqual(['ab']));
  it('drops an unterminated last word when chomping found nothing to chomp', () => expect(transform('a b', t({ split: true, chomp: true }))).toEqual(['a']));
  it('keeps the last word when chomping removed a delimiter', () => expect(transform('a b ', t({ split: true, chomp: true }))).toEqual(['a', 'b']));
  it('splits the empty value into no word', () => expect(transform('', t({ split: true }))).toEqual([]));
  it('uses custom delimiters', () => expect(transform('a:b,c', t({ split: true, delim: ':,' }))).toEqual(['a', 'b', 'c']));
  it('decodes netstrings with an empty delimiter set', () =>
    expect(transform('1:a,2:bb,0:,7:xyz 123,1: ,', t({ split: true, delim: '' }))).toEqual(['a', 'bb', '', 'xyz 123', ' ']));
  it('rejects bad netstrings', () => {
    expect(() => decodeNetstrings('1:a,0:')).toThrow(NetstringError);
    expect(() => decodeNetstrings('x')).toThrow(NetstringError);
    expect(() => decodeNetstrings('3:ab,')).toThrow(NetstringError);
  });
  it('does not split with an empty delimiter set and no -s', () => expect(transform('1:a,0:', t({ delim: '' }))).toEqual(['1:a,0:']));
});

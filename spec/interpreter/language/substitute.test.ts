import { describe, expect, it } from 'vitest';
import { substitute } from '../../../interpreter/language/substitute.js';

const one = (key: string, ...values: string[]) => [{ key, values }];

// Expected results read off the reference (execline 2.9.3).
describe('substitute', () => {
  it('follows the backslash rule of el_substitute.html', () => {
    const words = ['$A', '\\$A', '\\\\$A', '\\\\\\$A', '\\\\\\\\$A', '\\\\\\\\\\$A'];
    expect(substitute(words, one('A', 'val'))).toEqual(['val', '$A', '\\val', '\\$A', '\\\\val', '\\\\$A']);
    expect(substitute(['$B', '\\$B'], one('A', 'val'))).toEqual(['$B', '\\$B']);
  });
  it('ends a bare $key at $, { or } and otherwise at the end of the word', () => {
    expect(substitute(['$A$A', '$A{', '$A}x', '$A-x', '${A}}', '${{A}', '${A{}', '$$A', '$', '${}', '${A', 'a$A', '$Ab'], one('A', 'val'))).toEqual([
      'valval',
      'val{',
      'val}x',
      '$A-x',
      'val}',
      '${{A}',
      '${A{}',
      '$val',
      '$',
      '${}',
      '${A',
      'aval',
      '$Ab',
    ]);
  });
  it('multiplies split values, leftmost slowest', () => {
    expect(substitute(['${B}x${B}'], one('B', '1', '2', '3'))).toEqual(['1x1', '1x2', '1x3', '2x1', '2x2', '2x3', '3x1', '3x2', '3x3']);
    expect(
      substitute(
        ['${A}x${B}'],
        [
          { key: 'A', values: ['a', 'b'] },
          { key: 'B', values: ['1', '2'] },
        ],
      ),
    ).toEqual(['ax1', 'ax2', 'bx1', 'bx2']);
  });
  it('removes a word whose list value is empty', () => {
    expect(substitute(['p', 'x${A}y', 'q'], one('A'))).toEqual(['p', 'q']);
  });
  it('keeps block quoting around substituted values', () => {
    expect(substitute([' $A', ''], one('A', 'a', 'b'))).toEqual([' a', ' b', '']);
  });
  it('never rescans a value', () => {
    expect(
      substitute(
        ['$A'],
        [
          { key: 'A', values: ['${B}'] },
          { key: 'B', values: ['x'] },
        ],
      ),
    ).toEqual(['${B}']);
  });
  it('keeps escapes in front of a literal sequence', () => {
    expect(substitute(['\\${A}'], one('A', 'v'))).toEqual(['${A}']);
  });
});

import { describe, expect, it } from 'vitest';
import { getopt } from '../../../interpreter/command/getopt.js';

describe('getopt (POSIX, as skalibs subgetopt)', () => {
  it('reads clustered flags and glued or separate arguments', () => {
    expect(getopt(['x', '-sn', '-d:', '-d', ',', 'rest'], 'snd:')).toEqual({
      opts: [
        { key: 's', arg: '' },
        { key: 'n', arg: '' },
        { key: 'd', arg: ':' },
        { key: 'd', arg: ',' },
      ],
      index: 5,
    });
  });
  it('stops at the first operand, at "--" and at a lone "-"', () => {
    expect(getopt(['x', 'a', '-s'], 's')!.index).toBe(1);
    expect(getopt(['x', '-s', '--', '-s'], 's')!.index).toBe(3);
    expect(getopt(['x', '-', '-s'], 's')!.index).toBe(1);
  });
  it('refuses unknown options and missing arguments', () => {
    expect(getopt(['x', '-z'], 's')).toBeNull();
    expect(getopt(['x', '-d'], 'd:')).toBeNull();
    expect(getopt(['x', '-:'], 'd:')).toBeNull();
  });
});

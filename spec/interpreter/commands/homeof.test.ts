// homeof against the reference: a known user, unknown ones, usage and a closed stdout.
import { describe, expect, it } from 'vitest';
import { homeOf } from '../../../interpreter/toolkit/accounts.js';
import { same } from './compare.js';

describe('homeof', () => {
  it.each([
    'homeof root',
    'homeof no-such-user-here',
    'homeof',
    'homeof root extra',
    'homeof ""',
    'homeof 0',
    'homeof -- root',
    'homeof root:x',
    'fdclose 1 homeof root',
    'foreground { homeof root } echo done',
  ])('%s', (script) => {
    same(script);
  });

  it('reads the sixth field of the first matching /etc/passwd line', () => {
    expect(homeOf('root')).toBe('/root');
    expect(homeOf('')).toBeNull();
  });
});

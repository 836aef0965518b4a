// homeof's passwd lookup, as a unit (the command against the reference: conformance/cases/homeof.json).
import { describe, expect, it } from 'vitest';
import { homeOf } from '../../../interpreter/toolkit/accounts.js';

describe('homeof', () => {
  it('reads the sixth field of the first matching /etc/passwd line', () => {
    expect(homeOf('root')).toBe('/root');
    expect(homeOf('')).toBeNull();
  });
});

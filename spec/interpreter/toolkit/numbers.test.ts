// skalibs' number scanners (fmtscan): prefix scans stop before a digit that would overflow,
// whole-word scans refuse anything left over.
import { describe, expect, it } from 'vitest';
import { intScan, scanList, scanPrefix, uint0Oscan, uint0Scan, uint640Scan, uintOscan, USHRT_MAX } from '../../../interpreter/toolkit/numbers.js';

describe('numbers (skalibs fmtscan)', () => {
  it('uint_scan stops at a non-digit or before an overflow', () => {
    expect(scanPrefix('12ab')).toEqual([12, 2]);
    expect(scanPrefix('42949672950')).toEqual([4294967295, 10]);
    expect(scanPrefix('x')).toEqual([0, 0]);
  });
  it('uint0_scan takes the whole word, at most UINT_MAX (or the given bound)', () => {
    expect(uint0Scan('4294967295')).toBe(4294967295);
    expect(uint0Scan('4294967296')).toBeNull();
    expect(uint0Scan('')).toBeNull();
    expect(uint0Scan('-1')).toBeNull();
    expect(uint0Scan('007')).toBe(7);
    expect(uint0Scan('65535', USHRT_MAX)).toBe(65535);
    expect(uint0Scan('65536', USHRT_MAX)).toBeNull();
  });
  it('octal, signed and 64-bit scans', () => {
    expect(uintOscan('0755x')).toBe(0o755);
    expect(uintOscan('8')).toBeNull();
    expect(uint0Oscan('0755x')).toBeNull();
    expect(uint0Oscan('37777777777')).toBe(0xffffffff);
    expect(uint0Oscan('40000000000')).toBeNull();
    expect(intScan('-2147483648')).toBe(-2147483648);
    expect(intScan('2147483648')).toBe(214748364);
    expect(intScan('+12x')).toBe(12);
    expect(intScan('-')).toBeNull();
    expect(uint640Scan('18446744073709551615')).toBe(18446744073709551615n);
    expect(uint640Scan('18446744073709551616')).toBeNull();
  });
  it('scanlists: separators , : ; and blanks, stop at anything else', () => {
    expect(scanList('1,2:3 ;4x5')).toEqual({ list: [1, 2, 3, 4], length: 8 });
    expect(scanList('x')).toEqual({ list: [], length: 0 });
    expect(scanList('1,2,3', 2).list).toEqual([1, 2]);
  });
});

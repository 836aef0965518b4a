// Number scanning the way skalibs does it (fmtscan: uint_scan and friends), the one place every
// command reads a number from a word: a prefix scan that stops at the first character that is not
// a digit of the base, or before the digit that would overflow (uint_scan, uint_oscan, int_scan);
// a whole-word scan that fails unless the scan took the whole word (uint0_scan, uint0_oscan,
// uint640_scan); and lists of numbers separated by , : ; or blanks (gid_scanlist,
// ushort_scanlist).

/** UINT_MAX: the largest unsigned int, the bound of uint_scan. */
export const UINT_MAX = 0xffffffff;
/** USHRT_MAX: the bound of ushort_scan (exit codes). */
export const USHRT_MAX = 0xffff;

/**
 * uint_scan_base_max: the longest prefix of s (from `from`) made of digits of `base` whose value
 * stays at most `max`; [value, length], length 0 when there is none.
 */
export function scanPrefix(s: string, from = 0, base = 10, max = UINT_MAX): [number, number] {
  let v = 0;
  let i = from;
  while (i < s.length) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d >= base || d > 9) break;
    const nv = v * base + d;
    if (nv > max) break;
    v = nv;
    i++;
  }
  return [v, i - from];
}

/** uint0_scan: the whole word is a decimal number of at most `max` (UINT_MAX); else null. */
export function uint0Scan(s: string, max = UINT_MAX): number | null {
  const [v, n] = scanPrefix(s, 0, 10, max);
  return n > 0 && n === s.length ? v : null;
}

/** uint_oscan: the leading octal digits while the value fits UINT_MAX; null when there are none. */
export function uintOscan(s: string): number | null {
  const [v, n] = scanPrefix(s, 0, 8);
  return n > 0 ? v : null;
}

/** uint0_oscan: the whole word is an octal number that fits UINT_MAX; else null. */
export function uint0Oscan(s: string): number | null {
  const [v, n] = scanPrefix(s, 0, 8);
  return n > 0 && n === s.length ? v : null;
}

/** int_scan: an optional sign, then digits while the value fits an int; null without digits. */
export function intScan(s: string): number | null {
  const neg = s[0] === '-';
  const sign = neg || s[0] === '+' ? 1 : 0;
  const [v, n] = scanPrefix(s, sign, 10, neg ? 0x80000000 : 0x7fffffff);
  if (n === 0) return null;
  return neg ? -v : v;
}

/** uint640_scan: the whole word is a decimal number that fits 64 bits; else null. */
export function uint640Scan(s: string): bigint | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v <= 0xffffffffffffffffn ? v : null;
}

const SEPARATORS = ',:; \t\r\n';

/**
 * gid_scanlist, ushort_scanlist: at most `maxCount` numbers of at most `max` each, separated by
 * runs of separators; the scan stops at anything else. The list, and the length scanned (0 when
 * nothing was read).
 */
export function scanList(s: string, maxCount = 65536, max = UINT_MAX): { list: number[]; length: number } {
  const list: number[] = [];
  let i = 0;
  while (list.length < maxCount) {
    const [v, n] = scanPrefix(s, i, 10, max);
    if (!n) break;
    list.push(v);
    i += n;
    while (i < s.length && SEPARATORS.includes(s[i])) i++;
  }
  return { list, length: list.length ? i : 0 };
}

// Number scanning the way skalibs does it for ids: a whole-word scan (uid0_scan), a prefix scan
// that stops at the first non-digit (uid_scan), and gid lists separated by , : ; or blanks.

const MAX32 = 0xffffffff;

/** Scans the longest prefix of digits that fits in 32 bits; [value, length], length 0 if none. */
export function scanPrefix(s: string, from = 0): [number, number] {
  let v = 0;
  let i = from;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') {
    const nv = v * 10 + (s.charCodeAt(i) - 48);
    if (nv > MAX32) break;
    v = nv;
    i++;
  }
  return [v, i - from];
}

/** A whole-word unsigned 32-bit number, or null. */
export function scanWhole(s: string): number | null {
  const [v, n] = scanPrefix(s);
  return n > 0 && n === s.length ? v : null;
}

const SEPARATORS = ',:; \t\r\n';

/** gid_scanlist: numbers separated by runs of separators; stops at anything else. */
export function scanList(s: string, max = 65536): { list: number[]; length: number } {
  const list: number[] = [];
  let i = 0;
  while (list.length < max) {
    const [v, n] = scanPrefix(s, i);
    if (!n) break;
    list.push(v);
    i += n;
    while (i < s.length && SEPARATORS.includes(s[i])) i++;
  }
  return { list, length: list.length ? i : 0 };
}

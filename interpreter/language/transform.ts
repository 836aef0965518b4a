// Value transforms (el_transform.html): crunch, then chomp, then split, around a set of
// delimiters; an empty delimiter set with split means "decode netstrings".

export interface TransformOptions {
  /** -s: the value is a list of words. */
  split: boolean;
  /** -C: merge runs of delimiters into their first one. */
  crunch: boolean;
  /** -n: drop one trailing delimiter. */
  chomp: boolean;
  /** -d: the delimiter set; the default is " \n\r\t". */
  delim: string;
}

export const DEFAULT_DELIM = ' \n\r\t';

/** Thrown when a netstring value does not decode; the reference reports EINVAL. */
export class NetstringError extends Error {}

/** Applies the transforms to a value and returns the list of words it stands for. */
export function transform(value: string, t: TransformOptions): string[] {
  const { delim } = t;
  let v = value;
  if (t.crunch && delim) {
    let out = '';
    let prevDelim = false;
    for (let i = 0; i < v.length; i++) {
      const d = delim.includes(v[i]);
      if (d && prevDelim) continue;
      prevDelim = d;
      out += v[i];
    }
    v = out;
  }
  const endedWithDelim = v.length > 0 && delim !== '' && delim.includes(v[v.length - 1]);
  if (t.chomp && endedWithDelim) v = v.slice(0, -1);
  if (!t.split) return [v];
  if (!delim) return decodeNetstrings(v);
  const words: string[] = [];
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    if (delim.includes(v[i])) {
      words.push(v.slice(start, i));
      start = i + 1;
    }
  }
  // An unterminated last word counts, unless chomping was asked for and found no delimiter.
  if (start < v.length && (!t.chomp || endedWithDelim)) words.push(v.slice(start));
  return words;
}

/** Decodes a sequence of netstrings ("3:abc,0:,") into its strings. */
export function decodeNetstrings(v: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < v.length) {
    let j = i;
    while (j < v.length && v.charCodeAt(j) >= 48 && v.charCodeAt(j) <= 57) j++;
    if (j === i || v[j] !== ':') throw new NetstringError('bad netstring length');
    const len = Number(v.slice(i, j));
    const start = j + 1;
    const end = start + len;
    if (end >= v.length || v[end] !== ',') throw new NetstringError('truncated netstring');
    words.push(v.slice(start, end));
    i = end + 1;
  }
  return words;
}

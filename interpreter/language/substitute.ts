// Substitution (el_substitute.html): every ${key} or $key whose key is being substituted is replaced by its value; a run of 2n
// backslashes before it becomes n backslashes, 2n+1 make the sequence literal. A bare name ends at
// '\\', '$', '{', '}' or the end of the word; a braced name cannot hold '\\', '$' or '{'. A split value is a
// list, and a word with several list values becomes the product of them, leftmost slowest.
// Values are never rescanned. Words are processed one at a time, without recursion.

/** A key being substituted and the list of words its value stands for. */
export interface Binding {
  key: string;
  values: string[];
}

/** Substitutes all bindings at once (one pass, as multisubstitute) into argv. */
export function substitute(argv: readonly string[], bindings: readonly Binding[]): string[] {
  if (bindings.length === 0) return argv.slice();
  const table = new Map<string, string[]>();
  for (const b of bindings) table.set(b.key, b.values);
  const out: string[] = [];
  for (const w of argv) {
    if (!w.includes('$')) {
      out.push(w);
      continue;
    }
    substituteWord(w, table, out);
  }
  return out;
}

const NAME_END = /[${}\\]/g;

function substituteWord(w: string, table: Map<string, string[]>, out: string[]): void {
  // pieces alternate: literal, slot, literal, slot, ..., literal
  const literals: string[] = [];
  const slots: string[][] = [];
  let lit = '';
  let from = 0; // start of the not yet copied part of w
  let i = w.indexOf('$');
  while (i >= 0) {
    let name: string;
    let end: number;
    if (w[i + 1] === '{') {
      const close = w.indexOf('}', i + 2);
      if (close < 0) {
        i = w.indexOf('$', i + 1);
        continue;
      }
      name = w.slice(i + 2, close);
      if (name.includes('$') || name.includes('{') || name.includes('\\')) {
        // a braced name stops at '\\', '$' or '{': such a sequence never matches a key
        i = w.indexOf('$', i + 1);
        continue;
      }
      end = close + 1;
    } else {
      NAME_END.lastIndex = i + 1;
      const m = NAME_END.exec(w);
      end = m ? m.index : w.length;
      name = w.slice(i + 1, end);
    }
    const values = table.get(name);
    if (values === undefined) {
      i = w.indexOf('$', i + 1);
      continue;
    }
    let bs = 0;
    while (i - bs - 1 >= from && w.charCodeAt(i - bs - 1) === 92) bs++;
    lit += w.slice(from, i - bs) + '\\'.repeat(bs >> 1);
    if (bs & 1) {
      lit += w.slice(i, end);
    } else {
      literals.push(lit);
      slots.push(values);
      lit = '';
    }
    from = end;
    i = w.indexOf('$', end);
  }
  lit += w.slice(from);
  if (slots.length === 0) {
    out.push(lit);
    return;
  }
  literals.push(lit);
  for (const s of slots) if (s.length === 0) return;
  // product, leftmost slot varying slowest, without recursion
  const idx = new Array<number>(slots.length).fill(0);
  for (;;) {
    let word = literals[0];
    for (let k = 0; k < slots.length; k++) word += slots[k][idx[k]] + literals[k + 1];
    out.push(word);
    let k = slots.length - 1;
    while (k >= 0 && ++idx[k] === slots[k].length) idx[k--] = 0;
    if (k < 0) break;
  }
}

// POSIX regular expressions as glibc's regcomp(3) reads them in the C locale, rewritten as
// JavaScript RegExp source: extended (REG_EXTENDED) and basic (BRE, via a rewrite into ERE), with
// REG_ICASE and REG_NEWLINE. What matters is which patterns are accepted, with glibc's error texts,
// and what each construct matches (bracket classes, intervals, stacked repetitions, GNU escapes).
// eltest's =~ only asks whether a pattern matches somewhere; case also wants the subexpressions,
// which execPosix gives as regexec(3) does: the leftmost-longest overall match.

/** A pattern that regcomp refuses: `message` is glibc's regerror text. */
export class EreError extends Error {
  constructor(
    public readonly message: string,
    public readonly tooBig = false,
  ) {
    super(message);
  }
}

const E_BRACK = 'Unmatched [, [^, [:, [., or [=';
const E_PAREN = 'Unmatched ( or \\(';
const E_BRACE = 'Unmatched \\{';
const E_BADBR = 'Invalid content of \\{\\}';
const E_BADRPT = 'Invalid preceding regular expression';
const E_RANGE = 'Invalid range end';
const E_CTYPE = 'Invalid character class name';
const E_COLLATE = 'Invalid collation character';
const E_ESCAPE = 'Trailing backslash';
const E_SUBREG = 'Invalid back reference';
const E_SIZE = 'Regular expression too big';
const E_BADPAT = 'Invalid regular expression';

/** RE_DUP_MAX: the largest bound an interval may have. */
const DUP_MAX = 0x7fff;

type ByteSet = boolean[];

function setOf(...ranges: [number, number][]): ByteSet {
  const s: ByteSet = new Array(256).fill(false);
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) s[c] = true;
  return s;
}

/** The C locale's character classes. */
const CLASSES: Record<string, ByteSet> = {
  alpha: setOf([0x41, 0x5a], [0x61, 0x7a]),
  digit: setOf([0x30, 0x39]),
  alnum: setOf([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  upper: setOf([0x41, 0x5a]),
  lower: setOf([0x61, 0x7a]),
  space: setOf([0x09, 0x0d], [0x20, 0x20]),
  blank: setOf([0x09, 0x09], [0x20, 0x20]),
  punct: setOf([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  print: setOf([0x20, 0x7e]),
  graph: setOf([0x21, 0x7e]),
  cntrl: setOf([0x00, 0x1f], [0x7f, 0x7f]),
  xdigit: setOf([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
};
const WORD = setOf([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]);

const hex = (c: number) => '\\x' + c.toString(16).padStart(2, '0');

/** A byte set as a JS character class (bytes are chars 0-255 of a latin1 string). */
function classSource(s: ByteSet, negate = false): string {
  const parts: string[] = [];
  let c = 0;
  while (c < 256) {
    if (s[c] === negate) {
      c++;
      continue;
    }
    let e = c;
    while (e + 1 < 256 && s[e + 1] !== negate) e++;
    parts.push(e === c ? hex(c) : `${hex(c)}-${hex(e)}`);
    c = e + 1;
  }
  return parts.length ? `[${parts.join('')}]` : '(?!)';
}

const WORD_CLASS = classSource(WORD);
const NONWORD_CLASS = classSource(WORD, true);

/** The parsed pattern, for the submatch search (execPosix), which JavaScript cannot do as glibc. */
export type Node =
  | { t: 'set'; s: ByteSet }
  | { t: 'assert'; k: 'bol' | 'eol' | 'b' | 'B' | '<' | '>' | 'bos' | 'eos' }
  | { t: 'group'; n: number; body: Node }
  | { t: 'alt'; alts: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'rep'; min: number; max: number; body: Node }
  | { t: 'ref'; n: number };

/** One parsed element of a sequence: its JS source, its node, and whether a repetition may follow it. */
interface Piece {
  src: string;
  node: Node;
  repeatable: boolean;
}

const byteSet = (c: number): ByteSet => {
  const s: ByteSet = new Array(256).fill(false);
  s[c] = true;
  return s;
};

/** regcomp flags that change the translation. */
export interface PosixFlags {
  /** REG_ICASE (C locale: ASCII letters only). */
  icase?: boolean;
  /** REG_NEWLINE: "." and non-matching lists never match a newline; ^ and $ match at lines. */
  newline?: boolean;
  /** Basic regular expression (no REG_EXTENDED). */
  basic?: boolean;
}

/** Adds the other case of every ASCII letter of a set (REG_ICASE). */
function foldCase(s: ByteSet): ByteSet {
  const out = s.slice();
  for (let c = 65; c <= 90; c++) if (s[c] || s[c + 32]) out[c] = out[c + 32] = true;
  return out;
}

class Translator {
  private i = 0;
  /** Groups whose ")" has been read, for back references. */
  private closed = 0;
  /** Groups whose "(" has been read: numbering by opening parenthesis. */
  private opened = 0;
  /** The parsed pattern, once translate() has run. */
  root: Node = { t: 'seq', items: [] };

  constructor(
    private readonly p: string,
    private readonly flags: PosixFlags = {},
  ) {}

  /** The number of subexpressions (re_nsub). */
  get groups(): number {
    return this.closed;
  }

  /** A literal byte, in both cases under REG_ICASE. */
  private literal(code: number): Piece {
    if (this.flags.icase && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122))) {
      const up = code & ~32;
      const set = byteSet(up);
      set[up + 32] = true;
      return { src: `[${hex(up)}${hex(up + 32)}]`, node: { t: 'set', s: set }, repeatable: true };
    }
    return { src: hex(code), node: { t: 'set', s: byteSet(code) }, repeatable: true };
  }

  /** The whole pattern. A ")" with no "(" open is an ordinary character in glibc's ERE. */
  translate(): string {
    const [src, node] = this.alternation(0);
    this.root = node;
    return src;
  }

  private peek(): string | undefined {
    return this.p[this.i];
  }

  /** branch ( "|" branch )*, up to a ")" closing an open group (depth > 0) or the end. */
  private alternation(depth: number): [string, Node] {
    const branches = [this.branch(depth)];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.branch(depth));
    }
    const node: Node = branches.length === 1 ? branches[0][1] : { t: 'alt', alts: branches.map((b) => b[1]) };
    return [branches.map((b) => b[0]).join('|'), node];
  }

  private branch(depth: number): [string, Node] {
    const done: Piece[] = [];
    let last: (Piece & { repeated: boolean }) | null = null;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || (c === ')' && depth > 0)) break;
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        if (!last?.repeatable) throw new EreError(E_BADRPT);
        const [q, min, max] = this.quantifier();
        // Stacked repetitions (a**, a+?, a{1}{2}) repeat the whole repeated piece; JS would read
        // a trailing ? as laziness and refuse the others, so the previous piece gets a group.
        last.src = (last.repeated ? `(?:${last.src})` : last.src) + q;
        last.node = { t: 'rep', min, max, body: last.node };
        last.repeated = true;
        continue;
      }
      if (last) done.push(last);
      last = { ...this.atom(depth), repeated: false };
    }
    if (last) done.push(last);
    const node: Node = done.length === 1 ? done[0].node : { t: 'seq', items: done.map((d) => d.node) };
    return [done.map((d) => d.src).join(''), node];
  }

  /** Reads *, +, ? or an interval {m}, {m,}, {,n}, {m,n}; returns its JS form. */
  private quantifier(): [string, number, number] {
    const c = this.p[this.i++];
    if (c === '*') return [c, 0, Infinity];
    if (c === '+') return [c, 1, Infinity];
    if (c === '?') return [c, 0, 1];
    const close = this.p.indexOf('}', this.i);
    if (close < 0) throw new EreError(E_BRACE);
    const body = this.p.slice(this.i, close);
    this.i = close + 1;
    const m = /^([0-9]*)(?:(,)([0-9]*))?$/.exec(body);
    if (!m || (m[1] === '' && m[2] === undefined)) throw new EreError(E_BADBR);
    const lo = m[1] === '' ? 0 : Number(m[1]);
    const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
    if (lo > DUP_MAX || (hi !== Infinity && hi > DUP_MAX)) throw new EreError(E_SIZE, true);
    if (hi < lo) throw new EreError(E_BADBR);
    return [hi === Infinity ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`, lo, hi];
  }

  private atom(depth: number): Piece {
    const c = this.p[this.i++];
    switch (c) {
      case '(': {
        const n = ++this.opened;
        const [inner, body] = this.alternation(depth + 1);
        if (this.peek() !== ')') throw new EreError(E_PAREN);
        this.i++;
        this.closed++;
        return { src: `(${inner})`, node: { t: 'group', n, body }, repeatable: true };
      }
      case '^':
        return { src: '^', node: { t: 'assert', k: 'bol' }, repeatable: false };
      case '$':
        return { src: '$', node: { t: 'assert', k: 'eol' }, repeatable: false };
      case '.': {
        const all = setOf([0, 255]);
        if (this.flags.newline) all[10] = false;
        return { src: this.flags.newline ? '[^\\n]' : '[\\s\\S]', node: { t: 'set', s: all }, repeatable: true };
      }
      case '[': {
        const set = this.bracket();
        return { src: classSource(set), node: { t: 'set', s: set }, repeatable: true };
      }
      case '\\':
        return this.escape();
      default:
        return this.literal(c.charCodeAt(0) & 0xff);
    }
  }

  /** A backslash outside brackets: back references, GNU operators, else the character itself. */
  private escape(): Piece {
    const c = this.p[this.i++];
    if (c === undefined) throw new EreError(E_ESCAPE);
    if (c >= '1' && c <= '9') {
      if (Number(c) > this.closed) throw new EreError(E_SUBREG);
      return { src: `\\${c}`, node: { t: 'ref', n: Number(c) }, repeatable: true };
    }
    const not = (s: ByteSet) => s.map((b) => !b);
    switch (c) {
      case 'w':
        return { src: WORD_CLASS, node: { t: 'set', s: WORD }, repeatable: true };
      case 'W':
        return { src: NONWORD_CLASS, node: { t: 'set', s: not(WORD) }, repeatable: true };
      case 's':
        return { src: classSource(CLASSES.space), node: { t: 'set', s: CLASSES.space }, repeatable: true };
      case 'S':
        return { src: classSource(CLASSES.space, true), node: { t: 'set', s: not(CLASSES.space) }, repeatable: true };
      case 'b':
        return { src: '\\b', node: { t: 'assert', k: 'b' }, repeatable: false };
      case 'B':
        return { src: '\\B', node: { t: 'assert', k: 'B' }, repeatable: false };
      case '<':
        return { src: `(?<!${WORD_CLASS})(?=${WORD_CLASS})`, node: { t: 'assert', k: '<' }, repeatable: false };
      case '>':
        return { src: `(?<=${WORD_CLASS})(?!${WORD_CLASS})`, node: { t: 'assert', k: '>' }, repeatable: false };
      case '`':
        return { src: '(?<![\\s\\S])', node: { t: 'assert', k: 'bos' }, repeatable: false };
      case "'":
        return { src: '(?![\\s\\S])', node: { t: 'assert', k: 'eos' }, repeatable: false };
      default:
        return this.literal(c.charCodeAt(0) & 0xff);
    }
  }

  /** A bracket expression, after its "[": the set of bytes it matches. */
  private bracket(): ByteSet {
    const p = this.p;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    if (this.i >= p.length) throw new EreError(E_BADPAT);
    const set: ByteSet = new Array(256).fill(false);
    let first = true;
    /** True when the element just read ended a range (a "-" may not follow it but as the last). */
    let afterRange = false;
    for (;;) {
      if (this.i >= p.length) throw new EreError(E_BRACK);
      if (p[this.i] === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      if (afterRange && p[this.i] === '-' && p[this.i + 1] !== ']') throw new EreError(E_RANGE);
      afterRange = false;
      const start = this.bracketElement();
      if (p[this.i] === '-' && this.i + 1 < p.length && p[this.i + 1] !== ']') {
        this.i++;
        const end = this.bracketElement();
        if (typeof start !== 'number' || typeof end !== 'number' || end < start) throw new EreError(E_RANGE);
        for (let c = start; c <= end; c++) set[c] = true;
        afterRange = true;
        continue;
      }
      if (typeof start === 'number') set[start] = true;
      else for (let c = 0; c < 256; c++) if (start[c]) set[c] = true;
    }
    const folded = this.flags.icase ? foldCase(set) : set.slice();
    if (negate && this.flags.newline) folded[10] = true;
    return negate ? folded.map((b) => !b) : folded;
  }

  /** One element inside brackets: a byte, or a class ([:name:]) as a set. */
  private bracketElement(): number | ByteSet {
    const p = this.p;
    if (p[this.i] === '[' && (p[this.i + 1] === ':' || p[this.i + 1] === '.' || p[this.i + 1] === '=')) {
      const kind = p[this.i + 1];
      const end = p.indexOf(kind + ']', this.i + 2);
      if (end < 0) throw new EreError(E_BRACK);
      const name = p.slice(this.i + 2, end);
      this.i = end + 2;
      if (kind === ':') {
        const cls = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
        if (!cls) throw new EreError(E_CTYPE);
        return cls;
      }
      if (name.length !== 1) throw new EreError(E_COLLATE);
      return name.charCodeAt(0) & 0xff;
    }
    return p.charCodeAt(this.i++) & 0xff;
  }
}

/** Compiles a POSIX ERE (a byte string) to a RegExp that searches a byte string; throws EreError. */
export function compileEre(pattern: string): RegExp {
  const src = new Translator(pattern).translate();
  try {
    return new RegExp(src);
  } catch {
    throw new EreError(E_SIZE, true);
  }
}

/**
 * A basic regular expression rewritten as the equivalent extended one (glibc's BRE: \( \) \{ \}
 * group and count, the GNU \| \+ \? operators; ( ) { } | + ? are ordinary; "*" is ordinary first
 * in an expression; "^" and "$" are anchors only at the ends of an expression).
 */
export function basicToExtended(p: string): string {
  let out = '';
  /** True where a new expression starts (beginning, after \( or \|), for "*" and "^". */
  let atStart = true;
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    const start = atStart;
    atStart = false;
    if (c === '\\') {
      const d = p[i + 1];
      if (d === undefined) {
        out += '\\';
        i++;
        continue;
      }
      i += 2;
      if (d === '(' || d === '|') {
        out += d;
        atStart = true;
      } else if (d === ')' || d === '{' || d === '}' || d === '+' || d === '?') out += d;
      else out += '\\' + d;
      continue;
    }
    if (c === '[') {
      // a bracket expression is copied whole
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') j++;
      while (j < p.length && p[j] !== ']') {
        if (p[j] === '[' && (p[j + 1] === ':' || p[j + 1] === '.' || p[j + 1] === '=')) {
          const end = p.indexOf(p[j + 1] + ']', j + 2);
          j = end < 0 ? p.length : end + 2;
        } else j++;
      }
      out += p.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    i++;
    if (c === '*' && start) out += '\\*';
    else if (c === '^') {
      if (start) {
        out += '^';
        atStart = true;
      } else out += '\\^';
    } else if (c === '$') {
      const endOfExpr = i >= p.length || (p[i] === '\\' && (p[i + 1] === ')' || p[i + 1] === '|'));
      out += endOfExpr ? '$' : '\\$';
    } else if ('(){}|+?'.includes(c)) out += '\\' + c;
    else out += c;
  }
  return out;
}

/** A compiled regcomp(3) pattern. */
export interface PosixRegex {
  re: RegExp;
  /** The JavaScript source, for the longest-match search. */
  src: string;
  jsFlags: string;
  /** re_nsub: the number of subexpressions. */
  nsub: number;
  /** The parsed pattern, for the submatches. */
  root: Node;
  newline: boolean;
}

/** regcomp(3): compiles a pattern with the given flags; throws EreError with glibc's text. */
export function compilePosix(pattern: string, flags: PosixFlags = {}): PosixRegex {
  const t = new Translator(flags.basic ? basicToExtended(pattern) : pattern, flags);
  const src = t.translate();
  const jsFlags = flags.newline ? 'm' : '';
  try {
    return { re: new RegExp(src, jsFlags), src, jsFlags, nsub: t.groups, root: t.root, newline: !!flags.newline };
  } catch {
    throw new EreError(E_SIZE, true);
  }
}

/** The longest span tried for leftmost-longest matching; longer values keep the first match. */
const LONGEST_LIMIT = 4096;
/** Steps the submatch search may take before it gives up (and JavaScript's groups are used). */
const STEP_LIMIT = 200_000;

class TooLong extends Error {}

/**
 * The subexpressions of a match whose span is known, as glibc resolves them: alternatives and
 * repetitions are tried in order (first alternative, most iterations first), a group inside a
 * repetition keeps what its last iteration that took part set, and an iteration may match the
 * empty string only as the first one.
 */
function submatches(c: PosixRegex, s: string, start: number, end: number): Int32Array | null {
  const caps = new Int32Array(2 * (c.nsub + 1)).fill(-1);
  let steps = 0;
  const isWord = (i: number) => i >= 0 && i < s.length && WORD[s.charCodeAt(i)];
  const check = (k: string, p: number): boolean => {
    switch (k) {
      case 'bol':
        return p === 0 || (c.newline && s[p - 1] === '\n');
      case 'eol':
        return p === s.length || (c.newline && s[p] === '\n');
      case 'b':
        return isWord(p - 1) !== isWord(p);
      case 'B':
        return isWord(p - 1) === isWord(p);
      case '<':
        return !isWord(p - 1) && isWord(p);
      case '>':
        return isWord(p - 1) && !isWord(p);
      case 'bos':
        return p === 0;
      default:
        return p === s.length;
    }
  };
  const m = (n: Node, p: number, k: (q: number) => boolean): boolean => {
    if (++steps > STEP_LIMIT) throw new TooLong();
    switch (n.t) {
      case 'set':
        return p < end && n.s[s.charCodeAt(p)] && k(p + 1);
      case 'assert':
        return check(n.k, p) && k(p);
      case 'seq': {
        const go = (i: number, q: number): boolean => (i === n.items.length ? k(q) : m(n.items[i], q, (r) => go(i + 1, r)));
        return go(0, p);
      }
      case 'alt':
        for (const a of n.alts) if (m(a, p, k)) return true;
        return false;
      case 'group':
        return m(n.body, p, (q) => {
          const os = caps[2 * n.n];
          const oe = caps[2 * n.n + 1];
          caps[2 * n.n] = p;
          caps[2 * n.n + 1] = q;
          if (k(q)) return true;
          caps[2 * n.n] = os;
          caps[2 * n.n + 1] = oe;
          return false;
        });
      case 'rep': {
        const loop = (count: number, q: number): boolean => {
          if (count < n.max && m(n.body, q, (r) => (r === q && count > 0 ? false : loop(count + 1, r)))) return true;
          return count >= n.min && k(q);
        };
        return loop(0, p);
      }
      case 'ref': {
        const a = caps[2 * n.n];
        const b = caps[2 * n.n + 1];
        if (a < 0) return false;
        const len = b - a;
        if (p + len > end || s.slice(p, p + len) !== s.slice(a, b)) return false;
        return k(p + len);
      }
    }
  };
  try {
    return m(c.root, start, (q) => q === end) ? caps : null;
  } catch (e) {
    if (e instanceof TooLong) return null;
    throw e;
  }
}

/**
 * regexec(3): null when there is no match, else [start, end] for the whole match and for each
 * subexpression (undefined when it did not take part). The whole match is the leftmost-longest
 * one as POSIX requires; the subexpressions are resolved within it as glibc does.
 */
export function execPosix(c: PosixRegex, s: string): Array<[number, number] | undefined> | null {
  let m = c.re.exec(s);
  if (!m) return null;
  const start = m.index;
  const firstEnd = start + m[0].length;
  for (let end = Math.min(s.length, start + LONGEST_LIMIT); end > firstEnd; end--) {
    const k = s.length - end;
    const re = new RegExp(`(?:${c.src})(?=[\\s\\S]{${k}}(?![\\s\\S]))`, c.jsFlags + 'y');
    re.lastIndex = start;
    const longer = re.exec(s);
    if (longer) {
      m = longer;
      break;
    }
  }
  const end = start + m[0].length;
  const out: Array<[number, number] | undefined> = [[start, end]];
  if (c.nsub === 0) return out;
  const caps = submatches(c, s, start, end);
  if (caps) {
    for (let g = 1; g <= c.nsub; g++) out.push(caps[2 * g] < 0 ? undefined : [caps[2 * g], caps[2 * g + 1]]);
    return out;
  }
  // Too costly to resolve as glibc does: JavaScript's own groups for the same span.
  const withIdx = new RegExp(`(?:${c.src})(?=[\\s\\S]{${s.length - end}}(?![\\s\\S]))`, c.jsFlags + 'yd');
  withIdx.lastIndex = start;
  const d = withIdx.exec(s) as (RegExpExecArray & { indices?: Array<[number, number] | undefined> }) | null;
  for (let g = 1; g <= c.nsub; g++) out.push(d?.indices?.[g]);
  return out;
}

// POSIX extended regular expressions as glibc's regcomp(REG_EXTENDED) reads them in the C locale,
// rewritten as JavaScript RegExp source. eltest's =~ (and case) only ask whether a pattern
// matches somewhere in a byte string, so leftmost-longest versus leftmost-first makes no
// difference; what matters is which patterns are accepted, with glibc's error texts, and what
// each construct matches (bracket classes, intervals, stacked repetitions, GNU escapes).

/** A pattern that regcomp refuses: `message` is glibc's regerror text. */
export class EreError extends Error {
  constructor(public readonly message: string, public readonly tooBig = false) {
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

/** One parsed element of a sequence: its JS source and whether a repetition may follow it. */
interface Piece {
  src: string;
  repeatable: boolean;
}

class Translator {
  private i = 0;
  /** Groups whose ")" has been read, for back references. */
  private closed = 0;

  constructor(private readonly p: string) {}

  /** The whole pattern. A ")" with no "(" open is an ordinary character in glibc's ERE. */
  translate(): string {
    return this.alternation(0);
  }

  private peek(): string | undefined {
    return this.p[this.i];
  }

  /** branch ( "|" branch )*, up to a ")" closing an open group (depth > 0) or the end. */
  private alternation(depth: number): string {
    const branches = [this.branch(depth)];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.branch(depth));
    }
    return branches.join('|');
  }

  private branch(depth: number): string {
    const done: string[] = [];
    let last: (Piece & { repeated: boolean }) | null = null;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || (c === ')' && depth > 0)) break;
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        if (!last || !last.repeatable) throw new EreError(E_BADRPT);
        const q = this.quantifier();
        // Stacked repetitions (a**, a+?, a{1}{2}) repeat the whole repeated piece; JS would read
        // a trailing ? as laziness and refuse the others, so the previous piece gets a group.
        last.src = (last.repeated ? `(?:${last.src})` : last.src) + q;
        last.repeated = true;
        continue;
      }
      if (last) done.push(last.src);
      last = { ...this.atom(depth), repeated: false };
    }
    if (last) done.push(last.src);
    return done.join('');
  }

  /** Reads *, +, ? or an interval {m}, {m,}, {,n}, {m,n}; returns its JS form. */
  private quantifier(): string {
    const c = this.p[this.i++];
    if (c !== '{') return c;
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
    return hi === Infinity ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`;
  }

  private atom(depth: number): Piece {
    const c = this.p[this.i++];
    switch (c) {
      case '(': {
        const inner = this.alternation(depth + 1);
        if (this.peek() !== ')') throw new EreError(E_PAREN);
        this.i++;
        this.closed++;
        return { src: `(${inner})`, repeatable: true };
      }
      case '^':
        return { src: '^', repeatable: false };
      case '$':
        return { src: '$', repeatable: false };
      case '.':
        return { src: '[\\s\\S]', repeatable: true };
      case '[':
        return { src: this.bracket(), repeatable: true };
      case '\\':
        return this.escape();
      default:
        return { src: hex(c.charCodeAt(0) & 0xff), repeatable: true };
    }
  }

  /** A backslash outside brackets: back references, GNU operators, else the character itself. */
  private escape(): Piece {
    const c = this.p[this.i++];
    if (c === undefined) throw new EreError(E_ESCAPE);
    if (c >= '1' && c <= '9') {
      if (Number(c) > this.closed) throw new EreError(E_SUBREG);
      return { src: `\\${c}`, repeatable: true };
    }
    switch (c) {
      case 'w':
        return { src: WORD_CLASS, repeatable: true };
      case 'W':
        return { src: NONWORD_CLASS, repeatable: true };
      case 's':
        return { src: classSource(CLASSES.space), repeatable: true };
      case 'S':
        return { src: classSource(CLASSES.space, true), repeatable: true };
      case 'b':
        return { src: '\\b', repeatable: false };
      case 'B':
        return { src: '\\B', repeatable: false };
      case '<':
        return { src: `(?<!${WORD_CLASS})(?=${WORD_CLASS})`, repeatable: false };
      case '>':
        return { src: `(?<=${WORD_CLASS})(?!${WORD_CLASS})`, repeatable: false };
      case '`':
        return { src: '(?<![\\s\\S])', repeatable: false };
      case "'":
        return { src: '(?![\\s\\S])', repeatable: false };
      default:
        return { src: hex(c.charCodeAt(0) & 0xff), repeatable: true };
    }
  }

  /** A bracket expression, after its "[": the set of bytes it matches. */
  private bracket(): string {
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
    return classSource(set, negate);
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
        const cls = Object.prototype.hasOwnProperty.call(CLASSES, name) ? CLASSES[name] : undefined;
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

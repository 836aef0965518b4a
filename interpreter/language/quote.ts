// Quoting: the inverse of the scanner. quote(word) is the shortest execline word that execlineb's
// lexer (scanner.ts, execline 2.9.3) reads back as exactly `word`; quoteArgv quotes a command
// line; formatArgv writes a command line as a user would, with its blocks as `{ ... }`.
//
// What the lexer does with a word's bytes (checked against the reference, see
// spec/interpreter/language/quote.test.ts):
// - whitespace is every byte from 1 to 32 (newline included): it separates words;
// - `#` starts a comment only where a word could start; inside a word (`a#b`) it is a byte;
// - `{` and `}` are block delimiters only as a whole word (followed by whitespace or the end):
//   `{x`, `x}`, `}}` are plain words;
// - `"` opens a quoted part anywhere in a word (`a"b c"d` is one word, `ab cd`) and `""` alone is
//   the empty word; inside quotes every byte is itself (newline included) but `\`;
// - outside quotes a backslash takes the next byte as it is (`\n` is `n`, `\ ` a space, `\\` a
//   backslash, `\"` a quote), including a newline inside a word (`a\<newline>b` is `a`, newline,
//   `b`); between words, though, backslash-newline is a line continuation and is dropped;
// - inside quotes, `\a \b \t \n \v \f \r` are the control bytes 7 to 13, `\0ooo` (1 to 3 octal
//   digits), `\0xhh` (1 or 2 hex digits) and `\ddd` (1 to 3 decimal digits, not starting with 0)
//   are a byte from 1 to 255, backslash-newline is dropped, and a backslash before any other
//   byte is that byte (`\\`, `\"`, `\x`);
// - bytes 128 to 255 and DEL are ordinary; NUL cannot be in a word (it ends the script).
//
// One more corner: right after a word's first `{` or `}`, a backslash is read as between words
// (a newline after it is a continuation, and inside a block the byte gets the block's indentation
// spaces before it): quote() never writes one there, so its words read the same at any depth.
//
// So a byte costs 1 written as itself, or 2 with a backslash; a quoted stretch costs 2 more for
// its quotes but holds whitespace at 1 a byte. quote() finds the cheapest mix with a small
// dynamic program over the lexer's states, with the first byte's special cases (`#`, a lone `{`
// or `}`, a newline, which a backslash cannot take there).

/** How quote() may write bytes. */
export interface QuoteOptions {
  /**
   * Never write a control byte (1 to 31, 127) as itself: write it inside quotes as `\t`, `\n`...
   * or `\0xhh`, so the result is one line of visible text (for traces and messages). The result
   * is then the shortest word under that constraint; it still reads back as the same bytes.
   */
  visible?: boolean;
  /**
   * Never write a whitespace byte (1 to 32) with a backslash: it goes inside quotes, as people
   * write it (`"a b"`, not `a\ b`). The result is then the shortest word under that constraint.
   */
  quoteBlanks?: boolean;
}

const enum M {
  Start, // nothing written yet: the lexer is between words
  Bare, // inside a word, outside quotes
  Brace, // just after a bare `{` or `}` as the first byte: the word must go on (else a block)
  Quote, // inside quotes
}

// A cost: [bytes, backslashes, quote marks, -quoted bytes]; compared in that order, so of two
// words as short, the one with fewer backslashes, then fewer quotes, then more bytes inside
// quotes wins (`"a b c"` over `a\ b\ c`, `"a b cd"` over `"a b c"d`).
type Cost = [number, number, number, number];
const INF: Cost = [Infinity, 0, 0, 0];

function less(a: Cost, b: Cost): boolean {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
function plus(a: Cost, b: Cost): Cost {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

const CONTROL_ESCAPES = 'abtnvfr'; // \a is byte 7 ... \r is byte 13

function isControl(c: number): boolean {
  return c < 32 || c === 127;
}
/** Whitespace for the lexer: separates words (newline included). */
function isSpace(c: number): boolean {
  return c >= 1 && c <= 32;
}

/** How a byte is written inside quotes, and what it costs. */
function inQuotes(ch: string, visible: boolean): [string, Cost] {
  const c = ch.charCodeAt(0);
  if (ch === '"' || ch === '\\') return [`\\${ch}`, [2, 1, 0, -1]];
  if (visible && isControl(c)) {
    if (c >= 7 && c <= 13) return [`\\${CONTROL_ESCAPES[c - 7]}`, [2, 1, 0, -1]];
    return [`\\0x${c.toString(16).padStart(2, '0')}`, [5, 1, 0, -1]];
  }
  return [ch, [1, 0, 0, -1]];
}

/** How a byte is written outside quotes inside a word (null: it cannot be, with these options). */
function bare(ch: string, visible: boolean, quoteBlanks: boolean): [string, Cost] | null {
  const c = ch.charCodeAt(0);
  if (visible && isControl(c)) return null;
  if (quoteBlanks && isSpace(c)) return null;
  if (isSpace(c) || ch === '"' || ch === '\\') return [`\\${ch}`, [2, 1, 0, 0]];
  return [ch, [1, 0, 0, 0]];
}

interface Step {
  from: M;
  consumed: 0 | 1; // bytes of the word this step wrote
  text: string;
}

/**
 * The shortest execline word that execlineb reads back as `word` (a byte string: one char per
 * byte), at the top level of a script and inside blocks alike. Throws a RangeError for a NUL byte or a char above 255, which no word can hold.
 */
export function quote(word: string, options: QuoteOptions = {}): string {
  const visible = options.visible === true;
  const quoteBlanks = options.quoteBlanks === true;
  const n = word.length;
  for (let i = 0; i < n; i++) {
    const c = word.charCodeAt(i);
    if (c === 0) throw new RangeError(`quote: an execline word cannot hold a NUL byte (at offset ${i})`);
    if (c > 255) throw new RangeError(`quote: not a byte string: char ${c} at offset ${i} is above 255`);
  }
  if (n === 0) return '""';
  // Fast path: bytes that are themselves anywhere in a word, and a first byte that is no comment
  // and no lone brace.
  if (/^[^\x00-\x20"\\#\x7f][^\x00-\x20"\\\x7f]*$/.test(word) && word !== '{' && word !== '}') return word;

  // cost[i][m]: cheapest way to write word[0..i) ending in mode m; how[i][m]: the last step.
  const cost: Cost[][] = [];
  const how: Array<Array<Step | null>> = [];
  for (let i = 0; i <= n; i++) {
    cost.push([INF, INF, INF, INF]);
    how.push([null, null, null, null]);
  }
  const relax = (i: number, m: M, c: Cost, from: M, consumed: 0 | 1, text: string) => {
    if (less(c, cost[i][m])) {
      cost[i][m] = c;
      how[i][m] = { from, consumed, text };
    }
  };
  cost[0][M.Start] = [0, 0, 0, 0];
  for (let i = 0; ; i++) {
    // Quote marks, which write no byte: one opens from any mode but Quote (from Start too: `"`
    // starts a word), one closes back to Bare. (Closing then reopening never pays.)
    for (const m of [M.Start, M.Bare, M.Brace]) relax(i, M.Quote, plus(cost[i][m], [1, 0, 1, 0]), m, 0, '"');
    relax(i, M.Bare, plus(cost[i][M.Quote], [1, 0, 1, 0]), M.Quote, 0, '"');
    if (i === n) break;

    const ch = word[i];
    const c = ch.charCodeAt(0);
    const q = inQuotes(ch, visible);
    relax(i + 1, M.Quote, plus(cost[i][M.Quote], q[1]), M.Quote, 1, q[0]);
    const b = bare(ch, visible, quoteBlanks);
    if (b) {
      relax(i + 1, M.Bare, plus(cost[i][M.Bare], b[1]), M.Bare, 1, b[0]);
      // After a first `{`/`}` the lexer reads a backslash as between words: backslash-newline
      // is a line continuation there, and inside a block the escaped byte gets the block's
      // indentation spaces before it (the reference reads `{ {\  }` as " {" and two spaces). So
      // no backslash there: a byte as itself, or a quote (above), which reads the same anywhere.
      if (b[0] === ch) relax(i + 1, M.Bare, plus(cost[i][M.Brace], b[1]), M.Brace, 1, b[0]);
    }
    if (i === 0 && b) {
      // The first byte, between words: `#` would start a comment, a lone `{`/`}` be a brace;
      // a backslash takes any byte as it is but a newline (a line continuation there).
      if (ch === '{' || ch === '}') relax(1, M.Brace, [1, 0, 0, 0], M.Start, 1, ch);
      else if (!isSpace(c) && ch !== '#' && ch !== '"' && ch !== '\\') relax(1, M.Bare, [1, 0, 0, 0], M.Start, 1, ch);
      if (c !== 10) relax(1, M.Bare, [2, 1, 0, 0], M.Start, 1, `\\${ch}`);
    }
  }

  // The word ends outside quotes (a first `{`/`}` cannot end it: it would be a brace).
  const parts: string[] = [];
  let i = n;
  let m: M = M.Bare;
  while (!(i === 0 && m === M.Start)) {
    const step: Step | null = how[i][m];
    if (!step) throw new Error(`quote: internal error: no way to write ${JSON.stringify(word)}`);
    parts.push(step.text);
    i -= step.consumed;
    m = step.from;
  }
  return parts.reverse().join('');
}

/**
 * A command line: each word quoted (quote()) and joined by spaces. Every word is quoted as the
 * plain word it is, including the words by which a block is passed to a command (a leading
 * space per level, an empty word at its end: `foreground { a }` is the argv `foreground`, ` a`,
 * ``): quoteArgv writes those as `" a"` and `""`, which execlineb reads back as the same argv.
 * For the form a user would write, with braces, use formatArgv.
 */
export function quoteArgv(argv: readonly string[], options: QuoteOptions = {}): string {
  return argv.map((w) => quote(w, options)).join(' ');
}

/**
 * A command line as a user would write it: where argv holds a block in execlineb's encoding (a
 * run of words that start with a space, ended by an empty word), it is written as `{ ... }` with
 * one space less on each word, recursively; every other word is quoted (quote()). execlineb reads
 * the result back as exactly `argv` (a block's encoding is what its braces read as). An empty
 * word alone is written `""`, not `{ }` (both read the same; nothing tells which was written),
 * and a run of space-led words with no empty word after it is a run of plain words.
 */
export function formatArgv(argv: readonly string[], options: QuoteOptions = {}): string {
  const out: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const w = argv[i];
    if (w.startsWith(' ')) {
      let j = i;
      while (j < argv.length && argv[j].startsWith(' ')) j++;
      if (j < argv.length && argv[j] === '') {
        const inner = argv.slice(i, j).map((x) => x.slice(1));
        out.push(`{ ${formatArgv(inner, options)} }`);
        i = j + 1;
        continue;
      }
      for (; i < j; i++) out.push(quote(argv[i], options));
      continue;
    }
    out.push(quote(w, options));
    i++;
  }
  return out.join(' ');
}

// parse(): an execlineb script to its concrete syntax tree (cst.ts), for tools. A chevrotain lexer
// cuts the script into tokens where execlineb's lexer (interpreter/language/scanner.ts, the
// truth) starts and ends words, and a chevrotain parser nests the blocks. Nothing stops at the
// first problem: a bad escape still ends its word where it would have, a stray `}` is kept as one,
// every unclosed block is reported at its `{`, and the tree is built around all of them.
//
// The scanner's corners this follows (spec/interpreter/tooling/parse.test.ts checks them against
// the scanner on random scripts):
// - blanks are the bytes 1 to 32, newline included; a NUL byte ends the script;
// - `{` and `}` are braces only as whole words (followed by a blank or the end);
// - `#` starts a comment only where a word could start;
// - between words, backslash-newline is dropped, and a backslash at the end is nothing;
// - after a word's first `{` or `}`, a backslash is read as between words: `{\x` is `{`, the
//   block-level prefix again, `x`; `{\` + newline keeps the brace for whatever comes next (even
//   past a `{` that opens a block: then Word.arg and Block.end say the exact argv);
// - a quoted string cut short right after a numeric escape (`"\065` at the end) is a word.
import { createToken, EmbeddedActionsParser, type IToken, Lexer, type TokenType } from 'chevrotain';
import { fromNative } from '../language/bytes.js';
import type { Block, Comment, Node, ParseError, ParseErrorId, Position, Script, Span, Word } from './cst.js';

// --- words: where one ends, and what it holds -------------------------------------------------

const enum W {
  Word,
  Brace, // after a first `{` or `}`
  Quote,
}

const isBlank = (c: number) => c >= 1 && c <= 32;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const CONTROL = 'abtnvfr';

/** A problem inside a word, by offsets in the script. */
interface WordProblem {
  start: number;
  end: number;
  id: ParseErrorId;
  message: string;
}

/** What a word token holds: its value (as at the top level), and what the builder must know. */
interface WordInfo {
  value: string;
  quoted: boolean;
  /** `{\x` / `}\x`: the block-level prefix goes after the first byte. */
  braceEscape: boolean;
  problems: WordProblem[];
}

/**
 * Reads the word that starts at `start` (a byte that starts a word: not a blank, not `#`, not a
 * brace token, not a backslash before a newline or the end), as the scanner would: returns where
 * it ends and what it holds. A problem does not stop it: it goes on as if the bytes were right, to
 * end the word where the scanner would have gone on.
 */
function readWord(t: string, start: number): { end: number; info: WordInfo } {
  const n = t.length;
  const info: WordInfo = { value: '', quoted: false, braceEscape: false, problems: [] };
  let v = '';
  let i = start;
  let st: W;
  const c0 = t.charCodeAt(i);
  if (c0 === 34) {
    st = W.Quote;
    info.quoted = true;
    i++;
  } else if (c0 === 92) {
    v += t[i + 1];
    i += 2;
    st = W.Word;
  } else {
    v += t[i];
    i++;
    st = c0 === 123 || c0 === 125 ? W.Brace : W.Word;
  }
  let quoteAt = c0 === 34 ? start : -1;
  const problem = (s: number, e: number, id: ParseErrorId, message: string) => info.problems.push({ start: s, end: e, id, message });
  for (;;) {
    if (i >= n) {
      if (st === W.Quote) problem(quoteAt, quoteAt + 1, 'unterminated-quote', 'unterminated quoted string');
      break;
    }
    const c = t.charCodeAt(i);
    if (st !== W.Quote) {
      if (isBlank(c)) break;
      if (c === 34) {
        st = W.Quote;
        info.quoted = true;
        quoteAt = i++;
        continue;
      }
      if (c === 92) {
        if (i + 1 >= n) {
          // After a first brace the backslash is between words (the lexer token Glue takes `{\`
          // at the end); inside a word it is an error.
          problem(i, i + 1, 'trailing-backslash', 'backslash at end of script');
          i++;
          break;
        }
        if (st === W.Brace) info.braceEscape = true;
        v += t[i + 1];
        i += 2;
        st = W.Word;
        continue;
      }
      v += t[i++];
      st = W.Word;
      continue;
    }
    // In quotes.
    if (c === 34) {
      st = W.Word;
      i++;
      continue;
    }
    if (c !== 92) {
      v += t[i++];
      continue;
    }
    const esc = i;
    if (i + 1 >= n) {
      problem(quoteAt, quoteAt + 1, 'unterminated-quote', 'unterminated quoted string');
      i++;
      break;
    }
    const d = t.charCodeAt(i + 1);
    i += 2;
    if (d === 10) continue;
    const k = CONTROL.indexOf(t[esc + 1]);
    if (k >= 0) {
      v += String.fromCharCode(7 + k);
      continue;
    }
    let base: number;
    let max: number;
    let digits: string;
    if (d === 48 /* 0 */) {
      const e = i < n ? t.charCodeAt(i) : 0;
      if (e === 120 /* x */) {
        const h = i + 1 < n ? t.charCodeAt(i + 1) : 0;
        if (!isHex(h)) {
          problem(esc, Math.min(i + 1, n), 'bad-escape', '\\0x must be followed by a hexadecimal digit');
          i++;
          continue;
        }
        base = 16;
        max = 2;
        digits = t[i + 1];
        i += 2;
      } else if (e >= 48 && e <= 55) {
        base = 8;
        max = 3;
        digits = t[i];
        i++;
      } else {
        problem(esc, i, 'bad-escape', '\\0 must be followed by an octal digit or x');
        continue;
      }
    } else if (d >= 49 && d <= 57) {
      base = 10;
      max = 3;
      digits = t[esc + 1];
    } else {
      v += t[esc + 1];
      continue;
    }
    while (digits.length < max && i < n) {
      const e = t.charCodeAt(i);
      if (!(base === 16 ? isHex(e) : base === 8 ? e >= 48 && e <= 55 : e >= 48 && e <= 57)) break;
      digits += t[i++];
    }
    const value = parseInt(digits, base);
    if (value >= 1 && value <= 255) v += String.fromCharCode(value);
    else problem(esc, i, 'bad-escape', `numeric escape evaluates to ${value}, not 1 to 255`);
    // A script that ends right after a numeric escape ends the word, quotes open or not.
    if (i >= n) break;
  }
  info.value = v;
  return { end: i, info };
}

// --- the lexer --------------------------------------------------------------------------------

const ALL_BYTES: number[] = [];
for (let c = 33; c <= 255; c++) ALL_BYTES.push(c);

function match(text: string, payload?: unknown): [string] & { payload?: unknown } {
  const m = [text] as [string] & { payload?: unknown };
  if (payload !== undefined) m.payload = payload;
  return m;
}
/** A brace as a whole word: followed by a blank or the end. */
const braceToken = (brace: number) => (t: string, i: number) =>
  t.charCodeAt(i) === brace && (i + 1 >= t.length || isBlank(t.charCodeAt(i + 1))) ? match(t[i]) : null;

const Blank = createToken({ name: 'Blank', pattern: /[\x01-\x20]+/, group: Lexer.SKIPPED, line_breaks: true });
/** Backslash-newline between words, or a backslash at the end: nothing. */
const Continuation = createToken({
  name: 'Continuation',
  pattern: {
    exec: (t, i) => (t.charCodeAt(i) !== 92 ? null : i + 1 >= t.length ? match('\\') : t.charCodeAt(i + 1) === 10 ? match('\\\n') : null),
  },
  start_chars_hint: ['\\'],
  line_breaks: true,
  group: Lexer.SKIPPED,
});
/** `{\` or `}\` before a newline or the end: a brace the lexer keeps for what comes next. */
const Glue = createToken({
  name: 'Glue',
  pattern: {
    exec: (t, i) => {
      const c = t.charCodeAt(i);
      if ((c !== 123 && c !== 125) || t.charCodeAt(i + 1) !== 92) return null;
      return i + 2 >= t.length ? match(t.slice(i, i + 2)) : t.charCodeAt(i + 2) === 10 ? match(t.slice(i, i + 3)) : null;
    },
  },
  start_chars_hint: ['{', '}'],
  line_breaks: true,
  group: 'glue',
});
const CommentTok = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });
const LCurly = createToken({ name: 'LCurly', pattern: { exec: braceToken(123) }, start_chars_hint: ['{'], line_breaks: false });
const RCurly = createToken({ name: 'RCurly', pattern: { exec: braceToken(125) }, start_chars_hint: ['}'], line_breaks: false });
const WordTok = createToken({
  name: 'Word',
  pattern: {
    exec: (t, i) => {
      const { end, info } = readWord(t, i);
      return match(t.slice(i, end), info);
    },
  },
  start_chars_hint: ALL_BYTES.filter((c) => c !== 35),
  line_breaks: true,
});
const TOKENS: TokenType[] = [Blank, Continuation, Glue, CommentTok, LCurly, RCurly, WordTok];

// --- the parser -------------------------------------------------------------------------------

type RawItem = { kind: 'word'; tok: IToken } | { kind: 'block'; open: IToken; items: RawItem[]; close: IToken | null } | { kind: 'stray'; tok: IToken };

class ScriptParser extends EmbeddedActionsParser {
  constructor() {
    // The grammar's checks are for writing it (the tests exercise it): they cost a few ms at every first parse.
    super(TOKENS, { recoveryEnabled: true, maxLookahead: 1, skipValidations: true });
    this.performSelfAnalysis();
  }

  script = this.RULE('script', (): RawItem[] => {
    const items: RawItem[] = [];
    this.MANY(() => {
      this.OR([{ ALT: () => items.push(this.SUBRULE(this.item)) }, { ALT: () => items.push({ kind: 'stray', tok: this.CONSUME(RCurly) }) }]);
    });
    return items;
  });

  item = this.RULE('item', (): RawItem => {
    return this.OR([{ ALT: () => ({ kind: 'word', tok: this.CONSUME(WordTok) }) }, { ALT: () => this.SUBRULE(this.block) }]);
  });

  block = this.RULE('block', (): RawItem => {
    const open = this.CONSUME(LCurly);
    const items: RawItem[] = [];
    this.MANY(() => items.push(this.SUBRULE(this.item)));
    const close = this.OPTION(() => this.CONSUME(RCurly));
    return { kind: 'block', open, items, close: close ?? null };
  });
}

// The parser recurses a few JavaScript frames deep per block: past this depth the blocks are
// nested by nest() below instead, which builds the same tree with a stack of its own.
const MAX_PARSER_DEPTH = 200;

/** How deep the blocks of a token list nest. */
function depth(tokens: IToken[]): number {
  let d = 0;
  let max = 0;
  for (const t of tokens) {
    if (t.tokenType === LCurly) max = Math.max(max, ++d);
    else if (t.tokenType === RCurly && d > 0) d--;
  }
  return max;
}

/** The grammar above, without recursion: the same tree as ScriptParser.script(). */
function nest(tokens: IToken[]): RawItem[] {
  const top: RawItem[] = [];
  const open: Array<RawItem & { kind: 'block' }> = [];
  for (const t of tokens) {
    const items = open.length ? open[open.length - 1].items : top;
    if (t.tokenType === WordTok) items.push({ kind: 'word', tok: t });
    else if (t.tokenType === LCurly) {
      const b: RawItem & { kind: 'block' } = { kind: 'block', open: t, items: [], close: null };
      items.push(b);
      open.push(b);
    } else if (open.length) (open.pop() as RawItem & { kind: 'block' }).close = t;
    else top.push({ kind: 'stray', tok: t });
  }
  return top;
}

let machinery: { lexer: Lexer; parser: ScriptParser } | null = null;
function tools() {
  machinery ??= {
    lexer: new Lexer(TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: true }),
    parser: new ScriptParser(),
  };
  return machinery;
}

// --- positions --------------------------------------------------------------------------------

function positions(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - starts[lo] + 1 };
  };
}

// --- the tree ---------------------------------------------------------------------------------

/**
 * The script as a byte string: a Uint8Array's bytes; a string as it is when it is one (every char
 * below 256), else (text with chars above 255) its UTF-8 encoding.
 */
export function scriptBytes(source: string | Uint8Array): string {
  if (typeof source !== 'string') return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('latin1');
  return /[^\x00-\xff]/.test(source) ? fromNative(source) : source;
}

/**
 * Parses an execlineb script into its concrete syntax tree. `source` is the script's bytes: a
 * Uint8Array, or a byte string (one char per byte; a string with chars above 255 is taken as text
 * and encoded in UTF-8). Never throws on a bad script: the problems are in `errors`.
 */
export function parse(source: string | Uint8Array): Script {
  const src = scriptBytes(source);
  const nulAt = src.indexOf('\0');
  const text = nulAt >= 0 ? src.slice(0, nulAt) : src;
  const pos = positions(text);
  const span = (s: number, e: number): Span => ({ start: pos(s), end: pos(e) });
  const errors: ParseError[] = [];
  const error = (s: number, e: number, id: ParseErrorId, message: string) => errors.push({ span: span(s, e), message, id });

  const { lexer, parser } = tools();
  const lexed = lexer.tokenize(text);
  for (const e of lexed.errors) error(e.offset, e.offset + e.length, 'bad-escape', e.message); // no byte is left unmatched
  let raw: RawItem[];
  if (depth(lexed.tokens) <= MAX_PARSER_DEPTH) {
    parser.input = lexed.tokens;
    raw = parser.script();
    for (const e of parser.errors) error(e.token.startOffset, e.token.startOffset + (e.token.image?.length ?? 0), 'stray-close', e.message);
  } else raw = nest(lexed.tokens);

  const comments: Comment[] = (lexed.groups.comments ?? []).map((t) => ({ span: span(t.startOffset, t.startOffset + t.image.length), text: t.image }));
  const glue = lexed.groups.glue ?? [];
  let gi = 0;
  // The brace kept by `{\` + newline (and any after it), as the argv bytes it stands for.
  let pending: string | null = null;
  let pendingFrom = 0;
  /** Takes the glue tokens before `offset` into `pending`, at block level `level`. */
  const glueBefore = (offset: number, level: number) => {
    for (; gi < glue.length && glue[gi].startOffset < offset; gi++) {
      const p = ' '.repeat(level);
      if (pending === null) pendingFrom = glue[gi].startOffset;
      pending = (pending ?? '') + p + glue[gi].image[0];
    }
  };

  // The tree, with an explicit stack of the blocks being built (not one JavaScript frame per
  // level: any depth). A block is finished when its items are: its `}`, or its error, come after
  // everything inside it, as in the source.
  // A level's prefix (a space a block) is made only where a word needs it: `{\x`, or glue.
  type Frame = { items: RawItem[]; i: number; level: number; out: Node[]; block: (RawItem & { kind: 'block' }) | null };
  const top: Frame = { items: raw, i: 0, level: 0, out: [], block: null };
  const stack: Frame[] = [top];
  while (stack.length) {
    const f = stack[stack.length - 1];
    const { level, out } = f;
    if (f.i === f.items.length) {
      stack.pop();
      const it = f.block;
      if (!it) continue;
      // The block's own level is its parent's, one less than its items'.
      const outer = stack[stack.length - 1];
      const inner = out;
      const o = it.open.startOffset;
      let close: Span | null = null;
      let endWord: string | undefined;
      let end: number;
      if (it.close) {
        const c = it.close.startOffset;
        glueBefore(c, level);
        if (pending !== null) {
          endWord = pending + ' '.repeat(outer.level);
          pending = null;
        }
        close = span(c, c + 1);
        end = c + 1;
      } else {
        error(o, o + 1, 'unclosed-block', 'unmatched {: block never closed');
        const last = inner[inner.length - 1];
        end = last ? last.span.end.offset : o + 1;
      }
      const b: Block = { kind: 'block', span: span(o, end), open: span(o, o + 1), close, items: inner };
      if (endWord !== undefined) b.end = endWord;
      outer.out.push(b);
      continue;
    }
    const it = f.items[f.i++];
    if (it.kind === 'word') {
      const t = it.tok;
      glueBefore(t.startOffset, level);
      const info = t.payload as WordInfo;
      for (const p of info.problems) error(p.start, p.end, p.id, p.message);
      let value = info.braceEscape ? info.value[0] + ' '.repeat(level) + info.value.slice(1) : info.value;
      const end = t.startOffset + t.image.length;
      let start = t.startOffset;
      let arg: string | undefined;
      if (pending !== null) {
        // The kept braces and this word are one argv word.
        const prefix = ' '.repeat(level);
        const whole = pending + prefix + value;
        pending = null;
        if (whole.startsWith(prefix)) {
          value = whole.slice(level);
          start = pendingFrom;
        } else arg = whole;
      }
      const w: Word = { kind: 'word', span: span(start, end), raw: text.slice(start, end), value, quoted: info.quoted };
      if (arg !== undefined) w.arg = arg;
      out.push(w);
    } else if (it.kind === 'stray') {
      glueBefore(it.tok.startOffset, level);
      pending = null;
      error(it.tok.startOffset, it.tok.startOffset + 1, 'stray-close', 'unmatched }: no block to close');
    } else {
      glueBefore(it.open.startOffset, level);
      stack.push({ items: it.items, i: 0, level: level + 1, out: [], block: it });
    }
  }
  const items = top.out;
  errors.sort((a, b) => a.span.start.offset - b.span.start.offset);

  let crlf = 0;
  let lf = 0;
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) {
    if (i > 0 && src.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  const first = comments[0];
  return {
    source: src,
    shebang: first && first.span.start.offset === 0 && first.text.startsWith('#!') ? { text: first.text, span: first.span } : null,
    items,
    comments,
    errors,
    lineEndings: crlf && lf ? 'mixed' : crlf ? 'crlf' : lf ? 'lf' : 'none',
    nul: nulAt >= 0 ? pos(nulAt) : null,
  };
}

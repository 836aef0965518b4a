// The script scanner: execlineb's lexer as a hand-written state machine over bytes. It turns a
// script into an argv in which blocks are already quoted (words inside n braces carry n leading
// spaces, a closing brace becomes a word of n-1 spaces). It is on every script's start-up path,
// so it loads nothing. Behaviour follows execline 2.9.3 byte for byte, including its corners:
// whitespace is every byte from 1 to 32 but newline; a backslash before a newline is dropped only
// between words; a NUL byte ends the script; \0 and values above 255 in numeric escapes are
// syntax errors; a quoted string cut short right after a numeric escape still ends the word.

/** What went wrong, where: the reference says only the kind; we add line and column. */
export class ScanError extends Error {
  constructor(
    public readonly kind: 'syntax error' | 'unmatched {' | 'unmatched }',
    public readonly line: number,
    public readonly column: number,
    public readonly detail: string,
  ) {
    super(`${kind} at line ${line}, column ${column}: ${detail}`);
  }
}

const enum S {
  Start,
  Comment,
  OpenBrace,
  CloseBrace,
  Word,
  EscBlank, // after a backslash between words
  EscWord, // after a backslash inside an unquoted word
  Quote,
  EscQuote, // after a backslash inside a quoted string
  Oct, // after \0
  Num, // reading the digits of \0ooo, \0xhh or \ddd
}

const CONTROL = 'abtnvfr';

// The bytes that end a run of literal bytes: in an unquoted word, a blank, a newline, a quote, a
// backslash or NUL; in a quoted string, a quote, a backslash, NUL or a newline (which the loop
// takes itself, counting lines: a run never holds one).
const WORD_END = /[\x00-\x20"\\]/g;
const QUOTE_END = /["\\\x00\n]/g;

function isBlank(c: number): boolean {
  return c !== 10 && c >= 1 && c <= 32;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Scans a script (a byte string) into the argv execlineb would build. Throws ScanError. */
export function scan(src: string): string[] {
  const out: string[] = [];
  const opens: Array<[number, number]> = []; // positions of the open braces, for messages
  let word = ''; // bytes since the last end of word, as the reference's buffer holds them
  let blevel = 0;
  let state = S.Start;
  let line = 1;
  let col = 0;
  // numeric escape: digits read, base, maximum digit count
  let bracePos: [number, number] = [0, 0];
  let digits = '';
  let base = 10;
  let maxDigits = 3;

  const fail = (detail: string): never => {
    throw new ScanError('syntax error', line, col, detail);
  };
  // Literal bytes are not appended one by one (a string per byte, garbage for the collector: a
  // 120 KiB word cost 25 ms): the pending run src[runStart, runEnd) joins the word in one slice
  // when something else is appended, or the word ends.
  let runStart = 0;
  let runEnd = 0;
  const lit = (i: number) => {
    if (runEnd === i && runEnd > runStart) runEnd++;
    else {
      flush();
      runStart = i;
      runEnd = i + 1;
    }
  };
  const flush = () => {
    if (runEnd > runStart) word += src.slice(runStart, runEnd);
    runStart = runEnd = 0;
  };
  // Takes the literal byte at i and those after it up to the next byte `stop` matches (found by
  // the regular expression engine, not byte by byte here), keeping the column (a run holds no
  // newline); returns the index of the last one taken, so that the loop goes on at the stopping
  // byte.
  const literalRun = (i: number, stop: RegExp): number => {
    lit(i);
    stop.lastIndex = i + 1;
    const j = stop.test(src) ? stop.lastIndex - 1 : n;
    if (j === i + 1) return i;
    runEnd = j;
    col += j - 1 - i;
    return j - 1;
  };
  const blank = () => {
    flush();
    if (blevel) word += ' '.repeat(blevel);
  };
  const endWord = () => {
    flush();
    out.push(word);
    word = '';
  };
  const finishNumber = () => {
    flush();
    const v = parseInt(digits, base);
    if (!(v >= 1 && v <= 255)) fail(`numeric escape evaluates to ${v}, not 1 to 255`);
    word += String.fromCharCode(v);
  };

  const n = src.length;
  for (let i = 0; ; i++) {
    const c = i < n ? src.charCodeAt(i) : 0;
    if (c === 0) i = n; // a NUL byte ends the script, as the reference reads it
    if (c === 10) {
      line++;
      col = 0;
    } else col++;

    if (state === S.Num) {
      const isDigit = base === 16 ? isHex(c) : base === 8 ? c >= 48 && c <= 55 : c >= 48 && c <= 57;
      if (isDigit && digits.length < maxDigits) {
        digits += String.fromCharCode(c);
        continue;
      }
      finishNumber();
      if (c === 0) {
        endWord();
        break;
      }
      state = S.Quote;
      // the byte after the number is read as in a quoted string
    }

    switch (state) {
      case S.Start:
        if (c === 0) break;
        if (isBlank(c) || c === 10) continue;
        if (c === 35 /* # */) state = S.Comment;
        else if (c === 34 /* " */) {
          blank();
          state = S.Quote;
        } else if (c === 92 /* \ */) state = S.EscBlank;
        else {
          blank();
          lit(i);
          state = c === 123 ? S.OpenBrace : c === 125 ? S.CloseBrace : S.Word;
          if (c === 123) opens.push([line, col]);
          bracePos = [line, col];
        }
        continue;
      case S.Comment:
        if (c === 0) break;
        if (c === 10) state = S.Start;
        continue;
      case S.OpenBrace:
        if (c === 0) throw new ScanError('syntax error', bracePos[0], bracePos[1], 'a block opened at the end of the script');
        if (isBlank(c) || c === 10) {
          blevel++;
          flush();
          word = word.slice(0, word.length - blevel);
          state = S.Start;
          continue;
        }
        opens.pop(); // "{x" is a word, not a brace
        if (c === 34) state = S.Quote;
        else if (c === 92) state = S.EscBlank;
        else {
          lit(i);
          state = S.Word;
        }
        continue;
      case S.CloseBrace:
        if (c === 0 || isBlank(c) || c === 10) {
          if (blevel === 0) throw new ScanError('unmatched }', bracePos[0], bracePos[1], 'no block to close');
          blevel--;
          opens.pop();
          flush();
          word = word.slice(0, word.length - 2);
          endWord();
          if (c === 0) break;
          state = S.Start;
          continue;
        }
        if (c === 34) state = S.Quote;
        else if (c === 92) state = S.EscBlank;
        else {
          lit(i);
          state = S.Word;
        }
        continue;
      case S.Word:
        if (c === 0 || isBlank(c) || c === 10) {
          endWord();
          if (c === 0) break;
          state = S.Start;
          continue;
        }
        if (c === 34) state = S.Quote;
        else if (c === 92) state = S.EscWord;
        else i = literalRun(i, WORD_END);
        continue;
      case S.EscBlank:
        if (c === 0) break;
        if (c === 10) {
          state = S.Start;
          continue;
        }
        blank();
        lit(i);
        state = S.Word;
        continue;
      case S.EscWord:
        if (c === 0) fail('backslash at end of script');
        lit(i);
        state = S.Word;
        continue;
      case S.Quote:
        if (c === 0) fail('unterminated quoted string');
        if (c === 34) state = S.Word;
        else if (c === 92) state = S.EscQuote;
        else i = literalRun(i, QUOTE_END);
        continue;
      case S.EscQuote: {
        if (c === 0) fail('unterminated quoted string');
        state = S.Quote;
        if (c === 10) continue;
        const k = CONTROL.indexOf(src[i]);
        if (k >= 0) {
          flush();
          word += String.fromCharCode(7 + k);
        } else if (c === 48 /* 0 */) state = S.Oct;
        else if (c >= 49 && c <= 57) {
          digits = src[i];
          base = 10;
          maxDigits = 3;
          state = S.Num;
        } else lit(i);
        continue;
      }
      case S.Oct:
        if (c === 120 /* x */) {
          state = S.Num;
          digits = '';
          base = 16;
          maxDigits = 2;
          i++;
          col++;
          const d = i < n ? src.charCodeAt(i) : 0;
          if (!isHex(d)) fail('\\0x must be followed by a hexadecimal digit');
          digits = src[i];
          continue;
        }
        if (c >= 48 && c <= 55) {
          digits = src[i];
          base = 8;
          maxDigits = 3;
          state = S.Num;
          continue;
        }
        fail('\\0 must be followed by an octal digit or x');
    }
    break; // end of input reached in a state that accepts it
  }
  if (blevel) {
    const [l, c] = opens[opens.length - 1] ?? [line, col];
    throw new ScanError('unmatched {', l, c, 'block never closed');
  }
  return out;
}

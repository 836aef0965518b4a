// The concrete syntax tree of an execlineb script, as parse() (parse.ts) builds it for tools (the
// formatter, the linter, editors): every word and block with its place in the source, the
// comments, and every problem found in one run. The run path never uses it: there the scanner
// (interpreter/language/scanner.ts) turns a script straight into an argv, and it is the truth
// this tree must agree with (toArgv below builds the same argv).
//
// Strings are byte strings, as everywhere in the interpreter (interpreter/language/bytes.ts): one
// char per byte of the script, so a script that is not UTF-8 keeps its bytes. Offsets count
// bytes.

/** A place in the script: offset in bytes from the start (0-based), line and column (1-based, the column in bytes). */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A stretch of the script: start is its first byte, end the position just after its last. */
export interface Span {
  start: Position;
  end: Position;
}

/** A word: what the scanner makes one argv element of. */
export interface Word {
  kind: 'word';
  span: Span;
  /** The source text of the word, quotes and backslashes included. */
  raw: string;
  /** The word's bytes after unquoting, as the scanner yields them (without the block-level prefix of spaces). */
  value: string;
  /** True when the word has a quoted part ("...") anywhere in it. */
  quoted: boolean;
  /**
   * The exact argv element, when it is not `value` after the block-level prefix. Only execlineb's
   * reading of a `{\` or `}\` line continuation before a brace gives one (the brace and its
   * backslash-newline are kept for the next word, even inside the block that follows); absent
   * otherwise.
   */
  arg?: string;
}

/** A block: `{`, its items, `}`. */
export interface Block {
  kind: 'block';
  /** From the `{` to the `}` (or to the end of the last item when the block is never closed). */
  span: Span;
  /** The `{`. */
  open: Span;
  /** The `}`, or null when the block is never closed (an error says so). */
  close: Span | null;
  items: Node[];
  /**
   * The exact argv word that ends the block, when it is not the usual one (a space per enclosing
   * level): only after a `{\` or `}\` line continuation right before the `}`. Absent otherwise.
   */
  end?: string;
}

export type Node = Word | Block;

/** A comment: from `#` (where a word could start) to the end of the line, newline excluded. */
export interface Comment {
  span: Span;
  /** The comment's text, `#` included. */
  text: string;
}

/** What kind of problem: each is one that makes execlineb refuse the script. */
export type ParseErrorId =
  /** A quoted string never closed: the span is the opening `"`. */
  | 'unterminated-quote'
  /** A block never closed: the span is its `{`. */
  | 'unclosed-block'
  /** A `}` with no block to close: the span is the `}`. */
  | 'stray-close'
  /** A backslash as the last byte of a word at the end of the script. */
  | 'trailing-backslash'
  /** A numeric escape in a quoted string that is malformed or outside 1 to 255 (\0, \0x without a hex digit, \256...): the span is the escape. */
  | 'bad-escape';

/** A problem, where it is. */
export interface ParseError {
  span: Span;
  message: string;
  id: ParseErrorId;
}

/** The shebang line: `#!` on the first line, newline excluded (it is also in comments, as execlineb reads it as one). */
export interface Shebang {
  text: string;
  span: Span;
}

/** A parsed script. */
export interface Script {
  /** The script as parsed: a byte string. */
  source: string;
  shebang: Shebang | null;
  /** The top-level items, in order. */
  items: Node[];
  /** Every comment, in order (the shebang line included). */
  comments: Comment[];
  /** Every problem, in source order; empty when execlineb would accept the script. */
  errors: ParseError[];
  /** How lines end: 'lf', 'crlf', 'mixed', or 'none' (a single line). */
  lineEndings: 'lf' | 'crlf' | 'mixed' | 'none';
  /** Where a NUL byte ended the script (execlineb ignores what follows it), or null. */
  nul: Position | null;
}

const SCRIPT_ERROR = Symbol.for('execline-ts.ScriptError');

/** Thrown by toArgv and format for a script with errors: execlineb would refuse it. */
export class ScriptError extends Error {
  constructor(public readonly errors: ParseError[]) {
    const e = errors[0];
    super(`${e.message} at line ${e.span.start.line}, column ${e.span.start.column}`);
    this.name = 'ScriptError';
    Object.defineProperty(this, SCRIPT_ERROR, { value: true });
  }

  /**
   * instanceof by a registered symbol, not by prototype: the package's library entry and its
   * tooling bundle each hold a copy of this class, and an error thrown by one is the other's too.
   */
  static [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SCRIPT_ERROR] === true;
  }
}

/**
 * The argv execlineb builds from the script, exactly as the scanner does: a word inside n blocks
 * gets n leading spaces, and a block ends with a word of n-1 spaces (empty at the top level).
 * Throws ScriptError when the script has errors.
 */
export function toArgv(script: Script): string[] {
  if (script.errors.length) throw new ScriptError(script.errors);
  const out: string[] = [];
  // An explicit stack of the blocks being walked, not one JavaScript frame per level: any depth.
  // A block's prefix is its parent's and a space (a string made once a block, not once a word).
  type Frame = { items: Node[]; i: number; prefix: string; block: Block | null };
  const stack: Frame[] = [{ items: script.items, i: 0, prefix: '', block: null }];
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i === f.items.length) {
      stack.pop();
      if (f.block) out.push(f.block.end ?? stack[stack.length - 1].prefix);
      continue;
    }
    const n = f.items[f.i++];
    if (n.kind === 'word') out.push(n.arg ?? f.prefix + n.value);
    else stack.push({ items: n.items, i: 0, prefix: `${f.prefix} `, block: n });
  }
  return out;
}

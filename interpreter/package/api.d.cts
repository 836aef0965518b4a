// Types of the library entry (interpreter/package/api.ts), copied to dist/api.d.cts by the build.
// Written by hand, as one self-contained file; spec/package/api.test.ts type-checks each export
// against the source's, both ways, so the two cannot drift apart.

/** The package version (package.json's). */
export declare const version: string;
/** Every command name the package provides, sorted. */
export declare const commands: readonly string[];
/** The names npm links onto PATH: the CLI and the commands that cannot shadow a system tool. */
export declare const pathCommands: readonly string[];
/** The package's bin/ directory (absolute): one launcher per command and execline-ts. */
export declare const binDir: string;
/** Whether a command name may go on a user's PATH (execline*, el*, s6-*, with-contenv, printcontenv). */
export declare function isPathSafe(name: string): boolean;

// --- The tools: pure functions on a script's text. Strings are byte strings (one char per byte,
// as Buffer's 'latin1' encoding gives), offsets count bytes.

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
/** A word: what execlineb makes one argv element of. */
export interface Word {
  kind: 'word';
  span: Span;
  /** The source text of the word, quotes and backslashes included. */
  raw: string;
  /** The word's bytes after unquoting (without the block-level prefix of spaces). */
  value: string;
  /** True when the word has a quoted part ("...") anywhere in it. */
  quoted: boolean;
  /** The exact argv element, when it is not `value` after the block-level prefix (only after a `{\` line continuation before a brace). */
  arg?: string;
}
/** A block: `{`, its items, `}`. */
export interface Block {
  kind: 'block';
  span: Span;
  /** The `{`. */
  open: Span;
  /** The `}`, or null when the block is never closed (an error says so). */
  close: Span | null;
  items: Node[];
  /** The exact argv word that ends the block, when it is not the usual one (only after a `{\` line continuation before the `}`). */
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
export type ParseErrorId = 'unterminated-quote' | 'unclosed-block' | 'stray-close' | 'trailing-backslash' | 'bad-escape';
/** A problem, where it is (an unterminated quote at its opening `"`, an unclosed block at its `{`). */
export interface ParseError {
  span: Span;
  message: string;
  id: ParseErrorId;
}
/** The shebang line: `#!` on the first line, newline excluded. */
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
  /** How lines end. */
  lineEndings: 'lf' | 'crlf' | 'mixed' | 'none';
  /** Where a NUL byte ended the script (execlineb ignores what follows it), or null. */
  nul: Position | null;
}
/** Thrown by toArgv and format for a script with errors: execlineb would refuse it. */
export declare class ScriptError extends Error {
  readonly errors: ParseError[];
  constructor(errors: ParseError[]);
  static [Symbol.hasInstance](v: unknown): boolean;
}

/**
 * Parses an execlineb script into its concrete syntax tree. `source` is the script's bytes: a
 * Uint8Array, or a byte string (a string with chars above 255 is taken as text and encoded in
 * UTF-8). Never throws on a bad script: the problems are in `errors`, all of them.
 */
export declare function parse(source: string | Uint8Array): Script;
/** The argv execlineb builds from a parsed script (blocks as execlineb passes them). Throws ScriptError when the script has errors. */
export declare function toArgv(script: Script): string[];
/**
 * The script in one canonical layout that builds the same argv: one command per line where the
 * chain is linear, blocks indented by two spaces, words quoted only where needed, comments kept,
 * a final newline. Idempotent. Throws ScriptError for a script execlineb would refuse.
 */
export declare function format(source: string): string;
export declare function format(source: Uint8Array): Uint8Array;

/** How bad a finding is: error (certainly breaks), warning (likely a mistake), info (style, heuristics). */
export type Severity = 'error' | 'warning' | 'info';
/** A range of the script: 1-based lines and columns, and byte offsets (end exclusive). */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}
/** An edit that fixes a finding: replace the range's bytes with `replacement` (a byte string, as the script). */
export interface Fix {
  range: TextRange;
  replacement: string;
}
/** One problem the linter found. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  id: string;
  message: string;
  /** Only where applying it is safe: the script then means what its author evidently meant. */
  fix?: Fix;
}
export interface LintOptions {
  /** The file name, for the findings and for the rules that depend on it (a script named finish). */
  file?: string;
}
/**
 * The execline linter: every problem of the script (its text as a byte string), as findings with
 * their place, severity, rule ID (docs/lint/ID.md) and, where applying it is safe, a fix.
 */
export declare function lint(text: string, options?: LintOptions): Finding[];

/** How quote() may write bytes. */
export interface QuoteOptions {
  /** Never write a control byte (1 to 31, 127) as itself: write it inside quotes as an escape, so the result is one line of visible text. */
  visible?: boolean;
  /** Never write a whitespace byte (1 to 32) with a backslash: it goes inside quotes, as people write it (`"a b"`, not `a\ b`). */
  quoteBlanks?: boolean;
}
/** The shortest execline word that execlineb reads back as `word` (a byte string). Throws a RangeError for a NUL byte or a char above 255. */
export declare function quote(word: string, options?: QuoteOptions): string;
/** A command line: each word quoted (quote()) and joined by spaces. */
export declare function quoteArgv(argv: readonly string[], options?: QuoteOptions): string;

// The library entry of the npm package (`require('execline-ts')` / `import ... from
// 'execline-ts'`): facts about the installed package, with no process started and nothing of the
// runtime loaded, so it works on any Node >= 18.
import { join } from 'node:path';
import { isPathSafe } from './names.js';
import { toArgv as cstToArgv } from '../tooling/cst.js';
import { quote as quoteWord, type quoteArgv as quoteWords } from '../language/quote.js';
import { loadTooling, type Tooling } from './tooling.js';

declare const EXECLINE_TS_VERSION: string;
declare const EXECLINE_TS_COMMANDS: string[];

/** The package version (package.json's). */
export const version: string = EXECLINE_TS_VERSION;

/** Every command name the package provides, sorted (`execlineb`, `if`, `s6-setuidgid`...). */
export const commands: readonly string[] = Object.freeze([...EXECLINE_TS_COMMANDS]);

/** The names npm links onto PATH: the CLI and the commands that cannot shadow a system tool (see isPathSafe). */
export const pathCommands: readonly string[] = Object.freeze([...commands.filter(isPathSafe), 'execline-ts'].sort());

/**
 * The package's bin/ directory (absolute): one launcher per command and `execline-ts`, usable in
 * a `#!` line or prepended to PATH. It needs this package's node_modules; for a tree that
 * outlives the package, run `execline-ts install DIR`.
 */
export const binDir: string = join(__dirname, '..', 'bin');

export { isPathSafe };

/** A value's kind, for the message of a TypeError. */
function kind(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : x instanceof Uint8Array ? 'a Uint8Array' : typeof x;
}

/** Chars above 255: the string is text, not a byte string. */
const TEXT = /[^\x00-\xff]/;

/** The script argument of parse, format and lint: a string (or, where allowed, a Uint8Array), else a TypeError. */
function script<T>(fn: string, x: T, bytesOk = true): T {
  if (typeof x === 'string' || (bytesOk && x instanceof Uint8Array)) return x;
  throw new TypeError(`${fn}: expected a string${bytesOk ? ' or a Uint8Array' : ''}, got ${kind(x)}`);
}

// The tools beyond the reference: pure functions on a script's text (no process, no runtime).
// Strings in and out are byte strings (one char per byte), as in the interpreter. The parser and
// the formatter (with chevrotain) are in dist/tooling.cjs, loaded on first use, so requiring the
// package for its version or its bin/ pays nothing for them.

/**
 * Parses an execlineb script (its bytes: a Uint8Array or a byte string) into its concrete syntax
 * tree: every word and block with its place, the comments, and every problem in `errors`.
 */
export const parse: Tooling['parse'] = (source) => loadTooling().parse(script('parse', source));

/** A script in its canonical layout, building the same argv; throws ScriptError for a script execlineb refuses. */
export const format: Tooling['format'] = ((source: string) => loadTooling().format(script('format', source))) as Tooling['format'];

/**
 * The execline linter: every problem of the script (its text as a byte string), as findings with
 * their place, severity, rule ID (docs/lint/ID.md) and, where applying it is safe, a fix.
 */
export const lint: Tooling['lint'] = (text, options) => loadTooling().lint(script('lint', text, false), options);

/** The argv execlineb builds from a parsed script (throws ScriptError when it has errors). */
export { ScriptError } from '../tooling/cst.js';
export const toArgv: typeof cstToArgv = (tree) => {
  if (typeof tree !== 'object' || tree === null || !Array.isArray((tree as { items?: unknown }).items))
    throw new TypeError(`toArgv: expected a tree made by parse(), got ${kind(tree)}`);
  return cstToArgv(tree);
};
export type { Block, Comment, Node, ParseError, ParseErrorId, Position, Script, Shebang, Span, Word } from '../tooling/cst.js';
export type { Finding, Fix, LintOptions, Severity, TextRange } from '../tooling/lint.js';
/** The shortest execline word for a byte string, and a command line of such words. */
export type { QuoteOptions } from '../language/quote.js';
export const quote: typeof quoteWord = (word, options) => {
  if (typeof word !== 'string') throw new TypeError(`quote: expected a string, got ${kind(word)}`);
  // Text (chars above 255) is quoted as its UTF-8 bytes, and given back as text.
  return TEXT.test(word) ? Buffer.from(quoteWord(Buffer.from(word, 'utf8').toString('latin1'), options), 'latin1').toString('utf8') : quoteWord(word, options);
};
export const quoteArgv: typeof quoteWords = (argv, options) => {
  if (!Array.isArray(argv) || argv.some((w) => typeof w !== 'string')) throw new TypeError(`quoteArgv: expected an array of strings, got ${kind(argv)}`);
  return argv.map((w) => quote(w, options)).join(' ');
};

// The library entry of the npm package (`require('execline-ts')` / `import ... from
// 'execline-ts'`): facts about the installed package, with no process started and nothing of the
// runtime loaded, so it works on any Node >= 18.
import { join } from 'node:path';
import { isPathSafe } from './names.js';
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

// The tools beyond the reference: pure functions on a script's text (no process, no runtime).
// Strings in and out are byte strings (one char per byte), as in the interpreter. The parser and
// the formatter (with chevrotain) are in dist/tooling.cjs, loaded on first use, so requiring the
// package for its version or its bin/ pays nothing for them.

/**
 * Parses an execlineb script (its bytes: a Uint8Array or a byte string) into its concrete syntax
 * tree: every word and block with its place, the comments, and every problem in `errors`.
 */
export const parse: Tooling['parse'] = (source) => loadTooling().parse(source);

/** A script in its canonical layout, building the same argv; throws ScriptError for a script execlineb refuses. */
export const format: Tooling['format'] = ((source: string) => loadTooling().format(source)) as Tooling['format'];

/**
 * The execline linter: every problem of the script (its text as a byte string), as findings with
 * their place, severity, rule ID (docs/lint/ID.md) and, where applying it is safe, a fix.
 */
export const lint: Tooling['lint'] = (text, options) => loadTooling().lint(text, options);

/** The argv execlineb builds from a parsed script (throws ScriptError when it has errors). */
export { ScriptError, toArgv } from '../tooling/cst.js';
export type { Block, Comment, Node, ParseError, ParseErrorId, Position, Script, Shebang, Span, Word } from '../tooling/cst.js';
export type { Finding, Fix, LintOptions, Severity, TextRange } from '../tooling/lint.js';
/** The shortest execline word for a byte string, and a command line of such words. */
export { quote, quoteArgv, type QuoteOptions } from '../language/quote.js';

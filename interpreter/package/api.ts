// The library entry of the npm package (`require('execline-ts')` / `import ... from
// 'execline-ts'`): facts about the installed package, with no process started and nothing of the
// runtime loaded, so it works on any Node >= 18.
import { join } from 'node:path';
import { isPathSafe } from './names.js';

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

// Loads the tooling bundle (dist/tooling.cjs: the parser and the formatter, with chevrotain) on
// first use, from beside the bundle this code runs in (dist/api.cjs, or dist/execline-core.cjs for
// the CLI): neither carries it, so requiring the package or running a command never pays for it.
import { join } from 'node:path';

export type Tooling = typeof import('../tooling/index.js');

let tooling: Tooling | undefined;

/** The tooling bundle's exports. */
export function loadTooling(): Tooling {
  tooling ??= require(join(__dirname, 'tooling.cjs')) as Tooling;
  return tooling;
}

// Node modules that cost start-up time (child_process and tty pull in streams and sockets:
// ~1.5 ms), loaded on first use: a chain that runs no child and tests no tty never loads them.
import { createRequire } from 'node:module';
import type * as ChildProcessModule from 'node:child_process';
import type * as TtyModule from 'node:tty';

function load<T>(id: string): T {
  // In the CJS bundle `require` exists; under vitest (ESM) it is made from this module's URL.
  const req = typeof require === 'function' ? require : createRequire(import.meta.url);
  return req(id) as T;
}

let cp: typeof ChildProcessModule | null = null;
let tty: typeof TtyModule | null = null;

export function childProcess(): typeof ChildProcessModule {
  cp ??= load<typeof ChildProcessModule>('node:child_process');
  return cp;
}

export function ttyModule(): typeof TtyModule {
  tty ??= load<typeof TtyModule>('node:tty');
  return tty;
}

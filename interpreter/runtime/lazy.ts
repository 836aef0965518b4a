// Node modules that cost start-up time (tty pulls in streams and sockets: ~1.5 ms), loaded on
// first use: a chain that tests no tty never loads it. (No process of ours is started through
// child_process: the platform layer spawns, execs and forks.)
import { createRequire } from 'node:module';
import type * as TtyModule from 'node:tty';

function load<T>(id: string): T {
  // In the CJS bundle `require` exists; under vitest (ESM) it is made from this module's URL.
  const req = typeof require === 'function' ? require : createRequire(import.meta.url);
  return req(id) as T;
}

let tty: typeof TtyModule | null = null;

/** node:tty, loaded on first use. */
export function ttyModule(): typeof TtyModule {
  tty ??= load<typeof TtyModule>('node:tty');
  return tty;
}

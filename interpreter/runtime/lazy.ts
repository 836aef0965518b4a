// Node modules that cost start-up time (tty pulls in streams and sockets: ~1.5 ms), loaded on
// first use: a chain that tests no tty never loads it. (No process of ours is started through
// child_process: the platform layer spawns, execs and forks.)
import { writeFileSync } from 'node:fs';
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

const COLD = Symbol.for('execline-ts.compile-cache-cold');

/**
 * Writes Node's compile cache now if the entry file found it cold (dist/execline.cjs, written by
 * scripts/build.mjs, sets the path of the marker this bundle's filled cache has): Node writes it
 * only at a normal exit, and a chain always leaves by execve or _exit, so an installed tree's
 * cache would stay empty and every start would compile the bundle again. Then leaves the marker,
 * so later starts check one file. Once per process, and only then; never fatal.
 */
export function flushColdCompileCache(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const marker = g[COLD];
  if (typeof marker !== 'string') return;
  g[COLD] = false;
  try {
    load<{ flushCompileCache?: () => void }>('node:module').flushCompileCache?.();
    writeFileSync(marker, '', { flag: 'wx', mode: 0o644 });
  } catch {
    /* a cache it cannot write (privileges dropped since): the next start tries again */
  }
}

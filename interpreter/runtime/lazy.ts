// Node modules that cost start-up time (tty pulls in streams and sockets: ~1.5 ms), loaded on
// first use: a chain that tests no tty never loads it. (No process of ours is started through
// child_process: the platform layer spawns, execs and forks.)
import { accessSync, constants, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadedNames } from '../command/registry.js';
import { checksum } from '../platform/index.js';
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

const CODE_CACHE = Symbol.for('execline-ts.code-cache');

/**
 * The bundle's code cache as the entry file (dist/execline.cjs, written by scripts/build.mjs)
 * found it: where it lives, the command names whose code it covers (null: no cache, or one V8
 * refused), and the script it compiled, whose code cache holds every function run so far.
 */
interface CodeCache {
  dir: string;
  file: string;
  known: string[] | null;
  script: { createCachedData(): Buffer };
}

/**
 * Saves the bundle's code cache if this run has code the cache lacks: there was none (a fresh
 * install, an upgrade, a damaged cache or one V8 refused), or this run used a command it does not
 * cover. The file is `NAMES\nCHECKSUM\n` (platform checksum of the data) then V8's data, written
 * aside and renamed into place. Called where a chain
 * leaves (exit, exec) and before it gives up privileges (after which the directory cannot be
 * written); does nothing when the directory is not writable now. Never fatal.
 */
export function saveCodeCache(): void {
  const c = (globalThis as unknown as Record<symbol, CodeCache | undefined>)[CODE_CACHE];
  if (!c) return;
  const known = c.known ?? [];
  const names = [...new Set([...known, ...loadedNames()])].sort();
  if (c.known !== null && names.length === known.length) return;
  let tmp = '';
  try {
    accessSync(c.dir, constants.W_OK);
    const data = c.script.createCachedData();
    tmp = `${c.file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${names.join(',')}\n${checksum(data)}\n`, 'latin1'), data]), { flag: 'wx', mode: 0o644 });
    renameSync(tmp, c.file);
    c.known = names;
  } catch {
    if (tmp) rmSync(tmp, { force: true });
  }
}

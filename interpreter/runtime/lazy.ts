// Node modules that cost start-up time (tty pulls in streams and sockets: ~1.5 ms), loaded on
// first use: a chain that tests no tty never loads it. (No process of ours is started through
// child_process: the platform layer spawns, execs and forks.)
import { accessSync, constants, lstatSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadedNames } from '../command/registry.js';
import { checksum } from '../platform/index.js';
import type * as TtyModule from 'node:tty';

/** A Node builtin module by id (`node:tty`), without the module loader (no `node:module` at start). */
function load<T>(id: string): T {
  return process.getBuiltinModule(id) as T;
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
  /** The checksum of the bundle's source, as the entry file read it. */
  source: string;
  script: { createCachedData(): Buffer };
}

/** A temporary file older than this was left by a process killed while saving (ms). */
const STALE_TMP_MS = 10 * 60 * 1000;

/**
 * Saves the bundle's code cache if this run has code the cache lacks: there was none (a fresh
 * install, an upgrade, a damaged cache or one V8 refused), or this run used a command it does not
 * cover. The file is `NAMES\nDATA-CHECKSUM SOURCE-CHECKSUM\n` (platform checksum) then V8's data,
 * written to a temporary file of its own and renamed into place; what the directory holds besides
 * (other bundles' caches, temporary files of killed saves) goes then. Called where a chain leaves
 * (exit, exec) and before it gives up privileges (after which the directory cannot be written);
 * does nothing when the directory is not writable now. Never fatal.
 */
export function saveCodeCache(): void {
  const c = (globalThis as unknown as Record<symbol, CodeCache | undefined>)[CODE_CACHE];
  if (!c) return;
  const known = c.known ?? [];
  const names = [...new Set([...known, ...loadedNames()])].sort();
  if (c.known !== null && names.length === known.length) return;
  const tmp = `${c.file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  let made = false;
  try {
    accessSync(c.dir, constants.W_OK);
    const data = c.script.createCachedData();
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${names.join(',')}\n${checksum(data)} ${c.source}\n`, 'latin1'), data]), { flag: 'wx', mode: 0o644 });
    made = true;
    renameSync(tmp, c.file);
    made = false;
    c.known = names;
  } catch {
    if (made) rmSync(tmp, { force: true });
    return;
  }
  try {
    const own = basename(c.file);
    for (const f of readdirSync(c.dir)) {
      if (f === own) continue;
      const p = join(c.dir, f);
      if (/^core-[0-9a-f]{16}\.v8$/.test(f)) rmSync(p, { force: true });
      else if (f.endsWith('.tmp') && Date.now() - lstatSync(p).mtimeMs > STALE_TMP_MS) rmSync(p, { force: true });
    }
  } catch {
    /* tidying is best effort */
  }
}

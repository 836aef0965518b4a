// Node modules that cost start-up time (tty pulls in streams and sockets: ~1.5 ms), loaded on
// first use: a chain that tests no tty never loads it. (No process of ours is started through
// child_process: the platform layer spawns, execs and forks.)
import { accessSync, chmodSync, constants, lstatSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** The name of a bundle's code cache file (scripts/build.mjs names it after the bundle). */
const CACHE_NAME = /^core-[0-9a-f]{16}\.v8$/;

/**
 * True if this process may save into the cache directory `dir`: a directory of its effective
 * user's that nobody else can write to, under a umask that keeps what it creates so. The entry
 * file also reads a cache of root's (a tree root installed, run by a service that gave up root),
 * which a process of another user must leave alone: it never writes where it is not the owner,
 * whatever access(2) says (root may write anywhere; a process whose real uid is root may pass).
 */
function maySave(dir: string): boolean {
  try {
    const st = statSync(dir);
    return st.isDirectory() && st.uid === process.geteuid?.() && (st.mode & 0o022) === 0 && (process.umask() & 0o022) === 0o022;
  } catch {
    return false;
  }
}

/**
 * Saves the bundle's code cache if this run has code the cache lacks: there was none (a fresh
 * install, an upgrade, a damaged cache or one V8 refused), or this run used a command it does not
 * cover. The file is `NAMES\nDATA-CHECKSUM SOURCE-CHECKSUM\n` (platform checksum) then V8's data,
 * written to a temporary file of its own and renamed into place (over whatever stands there, a
 * directory included); what the directory holds besides (other bundles' caches, temporary files
 * of killed saves) goes then, each entry on its own. Called where a chain leaves (exit, exec) and
 * before it gives up privileges (after which the directory is not its own); does nothing unless
 * maySave. Never fatal, and silent: a failure leaves no temporary file.
 */
export function saveCodeCache(): void {
  const c = (globalThis as unknown as Record<symbol, CodeCache | undefined>)[CODE_CACHE];
  if (!c) return;
  const known = c.known ?? [];
  const names = [...new Set([...known, ...loadedNames()])].sort();
  if (c.known !== null && names.length === known.length) return;
  if (!maySave(c.dir)) return;
  const tmp = `${c.file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  let made = false;
  try {
    accessSync(c.dir, constants.W_OK);
    const data = c.script.createCachedData();
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${names.join(',')}\n${checksum(data)} ${c.source}\n`, 'latin1'), data]), { flag: 'wx', mode: 0o644 });
    made = true;
    // 644 whatever the umask (a root run under umask 077 would make it 600): in a tree root
    // installed, the services that gave up root read it too.
    chmodSync(tmp, 0o644);
    try {
      renameSync(tmp, c.file);
    } catch (e) {
      // A directory where the cache goes (rename(2) cannot replace one): it goes, as any other
      // entry of this directory that is not the cache would.
      if (!lstatSync(c.file).isDirectory()) throw e;
      rmSync(c.file, { recursive: true, force: true });
      renameSync(tmp, c.file);
    }
    made = false;
    c.known = names;
  } catch {
    if (made) rmSync(tmp, { force: true });
    return;
  }
  let entries: string[];
  try {
    entries = readdirSync(c.dir);
  } catch {
    return;
  }
  const own = basename(c.file);
  const now = Date.now();
  for (const f of entries) {
    if (f === own) continue;
    const p = join(c.dir, f);
    try {
      if (CACHE_NAME.test(f) || (f.endsWith('.tmp') && now - lstatSync(p).mtimeMs > STALE_TMP_MS)) rmSync(p, { recursive: true, force: true });
    } catch {
      /* tidying is best effort, entry by entry */
    }
  }
}

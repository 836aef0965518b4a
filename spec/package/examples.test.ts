// The container example (examples/Dockerfile), shown working without Docker: the steps of the
// image are done in a temp dir that stands for its root. Our commands are installed into
// ROOT/command with the package's installer; examples/services, examples/cont-init.d and
// examples/init are copied to ROOT/etc/s6/services, ROOT/etc/cont-init.d and ROOT/etc/s6/init with
// their image paths (/command, /etc/s6, /etc/cont-init.d, /var/log, /var/lib) rewritten under ROOT;
// and the entry point runs as the container's would, `init s6-svscan ROOT/etc/s6/services`, with a
// few `docker run -e` variables, in a mount namespace of its own whose /run is a fresh tmpfs (the
// container environment is written to /run/s6/container_environment: never the host's /run).
//
// The same tree runs a second time with the reference execline (/usr/lib/execline/bin) and
// Debian's s6 chain-loaders in ROOT/command instead of ours. Three commands have no reference on
// this machine (s6-portable-utils and s6-overlay are not Debian packages): s6-echo and s6-dumpenv
// are ours on both sides, and the reference side's with-contenv is an execline script doing what
// s6-overlay's documentation says with-contenv does (emptyenv -p, then s6-envdir -Lf on the
// container environment, unless S6_KEEP_ENV), run by the reference execlineb with Debian's
// s6-envdir. Each case checks that the reference gives what a user of the image expects, and
// that ours gives the reference's.
//
// Everything waits for conditions (s6-svwait, s6-svok, polling files and /proc) with generous
// bounds, never for a fixed time; nothing here blocks the vitest worker (async spawns only).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT, REF_BIN, PrivateRun } from '../helpers.js';
import {
  type Ran,
  allPids,
  cmdline,
  creds,
  descendantsOf,
  isNodeProcess,
  pause,
  procList,
  readText,
  run as runWith,
  stat,
  waitFor as waitWithin,
} from '../procs.js';

const isRoot = process.getuid?.() === 0;
const S6 = '/usr/bin';
const EXAMPLES = join(ROOT, 'examples');
/** A bound for every wait: long enough for a loaded CI machine, only reached when something is wrong. */
const WAIT = 15000;
/** What `docker run -e` would give the container. */
const CONTAINER_ENV = { PORT: '8081', GREETING: 'hello from the test' };

/**
 * Installs our commands into dir with the package's installer, as the Dockerfile's
 * `execline-ts install /command` does (here with the repository's Node instead of a copy).
 */
function installOurs(dir: string): Promise<Ran> {
  return run(join(ROOT, 'bin/execline-ts'), ['install', '--node', NODE, dir], { PATH: '/usr/bin:/bin' }, 60000);
}

// ---------------------------------------------------------------------------------------------
// Processes, files and /proc

/** Runs a short program without blocking the worker, bounded by WAIT and a margin. */
const run = (cmd: string, args: string[], env: Record<string, string> = { PATH: '/usr/bin:/bin' }, timeout = WAIT + 5000): Promise<Ran> =>
  runWith(cmd, args, env, timeout);

/** Polls probe every 25 ms until ok(value) or WAIT. */
const waitFor = <T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = WAIT) => waitWithin(probe, ok, ms, 25);

/** A Node process, or one running our bundle. */
const isNode = (pid: number): boolean => isNodeProcess(pid);

/** The soft limit of one line of /proc/PID/limits (s6-softlimit sets soft limits only). */
function softLimit(pid: number, name: string): string | null {
  const line = (readText(`/proc/${pid}/limits`) ?? '').split('\n').find((l) => l.startsWith(name));
  return line ? line.slice(name.length).trim().split(/\s+/)[0] : null;
}

/**
 * The fds 0-9 of a process (pipes and sockets without their inode). Higher ones can come from
 * whatever started the test runner (an fd it left open reaches s6-svscan and every service).
 */
function fds(pid: number): Record<string, string> | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const res: Record<string, string> = {};
  for (const n of names.filter((x) => Number(x) < 10)) {
    try {
      res[n] = readlinkSync(`/proc/${pid}/fd/${n}`).replace(/^(pipe|socket):\[\d+\]$/, '$1');
    } catch {
      /* closed meanwhile */
    }
  }
  return res;
}

/** s6-log's T stamp: an ISO 8601 date and time (a space between them), then two spaces. */
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} {2}/;

// ---------------------------------------------------------------------------------------------
// The two image roots

interface Side {
  name: 'ours' | 'reference';
  /** The image's root: command/, etc/s6/services, etc/s6/init, etc/cont-init.d, var/. */
  root: string;
  scan: string;
  svscan: ChildProcess | null;
  /** What the container prints (`docker logs`): the entry point's, then s6-svscan's stdout. */
  stdout: string;
  stderr: string;
}

let top = '';
const sides: Side[] = [];

/** The image paths the example files use, rewritten under a side's root (only there: /run stays). */
function rewrite(text: string, root: string): string {
  return text.replace(/(^|[\s"'!{=])\/(command|etc\/s6|etc\/cont-init\.d|var\/log|var\/lib)(?=[/\s"']|$)/gm, `$1${root}/$2`);
}

/** Copies an examples directory (or file) to dest, rewriting every file, keeping modes. */
function copyExample(src: string, dest: string, root: string): void {
  const st = statSync(src);
  if (st.isDirectory()) {
    mkdirSync(dest, { recursive: true, mode: 0o755 });
    for (const n of readdirSync(src)) copyExample(join(src, n), join(dest, n), root);
    return;
  }
  writeFileSync(dest, rewrite(readFileSync(src, 'latin1'), root), { encoding: 'latin1', mode: st.mode & 0o777 });
  chmodSync(dest, st.mode & 0o777);
}

/**
 * The reference side's ROOT/command: for each command we install, the reference's (execline's
 * programs, Debian's s6 chain-loaders) where this machine has one; with-contenv as documented, in
 * execline run by the reference execlineb; ours for the rest (s6-echo, s6-dumpenv, printcontenv).
 */
function referenceCommands(oursDir: string, dir: string): void {
  mkdirSync(dir, { mode: 0o755 });
  for (const n of readdirSync(oursDir)) {
    if (n.startsWith('.') || lstatSync(join(oursDir, n)).isDirectory()) continue;
    if (n === 'with-contenv') {
      writeFileSync(
        join(dir, n),
        `#!${REF_BIN}/execlineb -S0\n` +
          '# with-contenv: the container environment (only PATH kept), unless S6_KEEP_ENV says to keep this one\n' +
          'importas -D 0 keep S6_KEEP_ENV\n' +
          'ifte { $@ } { emptyenv -p s6-envdir -Lf /run/s6/container_environment $@ } eltest 0${keep} -ne 0\n',
        { mode: 0o755 },
      );
    } else if (existsSync(join(REF_BIN, n))) symlinkSync(join(REF_BIN, n), join(dir, n));
    else if (n.startsWith('s6-') && existsSync(join(S6, n))) symlinkSync(join(S6, n), join(dir, n));
    else symlinkSync(join(oursDir, n), join(dir, n));
  }
}

function prepareSide(name: Side['name']): Side {
  const root = join(top, name);
  const side: Side = { name, root, scan: join(root, 'etc/s6/services'), svscan: null, stdout: '', stderr: '' };
  for (const d of ['etc/s6', 'var/log', 'var/lib']) mkdirSync(join(root, d), { recursive: true, mode: 0o755 });
  copyExample(join(EXAMPLES, 'services'), side.scan, root);
  copyExample(join(EXAMPLES, 'cont-init.d'), join(root, 'etc/cont-init.d'), root);
  copyExample(join(EXAMPLES, 'init'), join(root, 'etc/s6/init'), root);
  if (name === 'reference') referenceCommands(join(top, 'ours/command'), join(root, 'command'));
  sides.push(side);
  return side;
}

/**
 * Starts the container: its entry point with the image's CMD, in a mount namespace of its own with
 * a fresh /run (unshare and sh exec in place: the PID spawned is the entry point's, then
 * s6-svscan's). The environment is the image's PATH and the `docker run -e` variables.
 */
function startSide(side: Side): void {
  const setup = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin mount -t tmpfs -o mode=0755 tmpfs /run || exit 97; exec "$@"';
  const cp = spawn('/usr/bin/unshare', ['-m', '/bin/sh', '-c', setup, 'sh', join(side.root, 'etc/s6/init'), 's6-svscan', side.scan], {
    env: { PATH: `${side.root}/command:/usr/bin:/bin`, ...CONTAINER_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: '/',
  });
  side.svscan = cp;
  cp.stdout!.setEncoding('latin1');
  cp.stderr!.setEncoding('latin1');
  cp.stdout!.on('data', (d: string) => (side.stdout += d));
  cp.stderr!.on('data', (d: string) => (side.stderr += d));
  cp.on('error', (e) => (side.stderr += `spawn error: ${e.message}\n`));
}

const svcDir = (side: Side, name: string) => join(side.scan, name);

async function svc(side: Side, opts: string, name: string): Promise<Ran> {
  return run(join(S6, 's6-svc'), [opts, svcDir(side, name)]);
}

async function svstat(side: Side, name: string, fields: string): Promise<string> {
  const r = await run(join(S6, 's6-svstat'), ['-o', fields, svcDir(side, name)]);
  return r.code === 0 ? r.stdout.trim() : `s6-svstat exit ${r.code}: ${r.stderr.trim()}`;
}

/** s6-svwait with a bound; returns its exit code (99: timed out). */
async function svwait(side: Side, opt: string, name: string): Promise<number | null> {
  return (await run(join(S6, 's6-svwait'), [opt, '-t', String(WAIT), svcDir(side, name)])).code;
}

/** Waits until the supervised process runs argv0; returns its pid and cmdline. */
async function finalProgram(side: Side, name: string, argv0: string): Promise<{ ok: boolean; pid: number; cmdline: string[] | null }> {
  const r = await waitFor(
    async () => {
      const pid = Number(await svstat(side, name, 'pid'));
      return { pid, cmdline: pid > 0 ? cmdline(pid) : null };
    },
    (v) => v.cmdline?.[0] === argv0,
  );
  return { ok: r.ok, ...r.value };
}

/** A side's root written as <root>, so both sides compare. */
function norm(side: Side, s: string): string {
  return s.split(side.root).join('<root>');
}

/** The lines of the container's output (docker logs) that start with prefix, once n of them are there. */
async function outputLines(side: Side, prefix: string, n: number): Promise<string[]> {
  const pick = () => side.stdout.split('\n').filter((l) => l.startsWith(prefix));
  return (await waitFor(pick, (l) => l.length >= n)).value.map((l) => norm(side, l));
}

/** web's log (s6-log's current file): its lines without their stamps, once `want` is there n times. */
async function logLines(side: Side, want: string, n = 1): Promise<{ lines: string[]; stamped: boolean }> {
  const file = join(side.root, 'var/log/web/current');
  const r = await waitFor(
    () => (readText(file) ?? '').split('\n').slice(0, -1),
    (l) => l.filter((x) => x.replace(STAMP, '') === want).length >= n,
  );
  return { lines: r.value.map((l) => l.replace(STAMP, '')), stamped: r.value.every((l) => STAMP.test(l)) };
}

/** Runs one observation on both sides at once; a side that throws gives its error as the value. */
async function onBoth<T>(observe: (side: Side) => Promise<T>): Promise<{ ours: T | string; ref: T | string }> {
  const [ours, ref] = await Promise.all(
    sides.map(async (s) => {
      try {
        return await observe(s);
      } catch (e) {
        return `error: ${(e as Error).stack ?? e}`;
      }
    }),
  );
  return { ours, ref };
}

/** The reference gives what a user expects (the test is right), and ours gives the reference's. */
function same<T>(r: { ours: T | string; ref: T | string }, expected: unknown, what: string): void {
  const tail = () => sides.map((s) => `--- ${s.name}: stdout:\n${s.stdout.slice(-3000)}\n--- ${s.name}: stderr:\n${s.stderr.slice(-3000)}`).join('\n');
  expect(r.ref, `${what}: the reference\n${tail()}`).toEqual(expected);
  expect(r.ours, `${what}: ours differs from the reference\n${tail()}`).toEqual(r.ref);
}

// ---------------------------------------------------------------------------------------------
// Set-up and tear-down

async function supervised(side: Side): Promise<void> {
  const names = ['web', 'web/log', 'worker'];
  const r = await waitFor(
    async () => (await Promise.all(names.map(async (n) => ((await run(join(S6, 's6-svok'), [svcDir(side, n)])).code === 0 ? '' : n)))).filter(Boolean),
    (missing) => missing.length === 0,
  );
  if (!r.ok) throw new Error(`${side.name}: no s6-supervise for ${r.value.join(', ')}; stdout:\n${side.stdout}\nstderr:\n${side.stderr}`);
}

async function stopSide(side: Side): Promise<void> {
  const cp = side.svscan;
  if (!cp || cp.pid === undefined) return;
  const tree = descendantsOf(cp.pid).map((pid) => ({ pid, start: stat(pid)?.start }));
  const exited = cp.exitCode !== null || cp.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => cp.once('exit', () => r()));
  await run(join(S6, 's6-svscanctl'), ['-t', side.scan], { PATH: '/usr/bin:/bin' }, 5000);
  const done = await Promise.race([exited.then(() => true), pause(WAIT).then(() => false)]);
  if (!done) cp.kill('SIGKILL');
  for (const { pid, start } of tree) {
    if (start !== undefined && stat(pid)?.start === start) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** Kills what is left anywhere whose command line names the temp dir. */
function sweep(): void {
  if (!top) return;
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    if ((cmdline(pid) ?? []).some((a) => a.includes(top))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

const canRun = isRoot && PrivateRun.supported();

beforeAll(async () => {
  if (!canRun) return;
  top = mkdtempSync('/tmp/elts-examples-');
  chmodSync(top, 0o755); // nobody (web, its logger, worker) must traverse it
  mkdirSync(join(top, 'ours'), { mode: 0o755 });
  const inst = await installOurs(join(top, 'ours/command'));
  if (inst.code !== 0 || !existsSync(join(top, 'ours/command/execlineb')))
    throw new Error(`install failed (status ${inst.code}; is dist/ built?): ${inst.stdout}${inst.stderr}`);
  for (const s of [prepareSide('ours'), prepareSide('reference')]) startSide(s);
  await Promise.all(sides.map(supervised));
}, 90000);

afterAll(async () => {
  try {
    await Promise.all(sides.map(stopSide));
  } finally {
    sweep();
    if (top) rmSync(top, { recursive: true, force: true });
  }
}, 60000);

// ---------------------------------------------------------------------------------------------
// The cases, in the order a user would check them

describe.runIf(canRun)('examples/: the container image, run with ours as with the reference', () => {
  it('the entry point saves the container environment, runs cont-init.d through with-contenv, then becomes s6-svscan', async () => {
    const r = await onBoth(async (side) => {
      const pid = side.svscan!.pid!;
      const contenv = `/proc/${pid}/root/run/s6/container_environment`;
      const saved: Record<string, string | null> = {};
      for (const k of Object.keys(CONTAINER_ENV)) saved[k] = readText(join(contenv, k));
      return {
        // the spawned PID is s6-svscan now, with the environment emptyenv -p left
        svscan: cmdline(pid)?.map((a) => norm(side, a)),
        svscanEnv: procList(pid, 'environ')?.map((a) => norm(side, a)),
        // the private /run is not the host's
        privateRun: statSync(`/proc/${pid}/root/run`).dev !== statSync('/run').dev,
        saved,
        // what the cont-init.d scripts said, in name order, with the container's variables
        contInit: await outputLines(side, 'cont-init:', 2),
        page: readText(join(side.root, 'var/lib/web/index.txt')),
        logDirOwner: statSync(join(side.root, 'var/log/web')).uid,
      };
    });
    same(
      r,
      {
        svscan: ['s6-svscan', '<root>/etc/s6/services'],
        svscanEnv: ['PATH=<root>/command:/usr/bin:/bin'],
        privateRun: true,
        saved: { PORT: '8081\n', GREETING: 'hello from the test\n' },
        contInit: ["cont-init: <root>/var/log/web is ready for web's logger", 'cont-init: page for port 8081: hello from the test'],
        page: 'hello from the test\n',
        logDirOwner: 65534,
      },
      'entry point',
    );
  }, 60000);

  it('web comes up ready (notification fd), its final program is the supervised pid, as nobody, with the container environment', async () => {
    const r = await onBoth(async (side) => {
      const ready = await svwait(side, '-U', 'web');
      const f = await finalProgram(side, 'web', 'sleep');
      const env = procList(f.pid, 'environ') ?? [];
      const tree = [f.pid, ...descendantsOf(f.pid)];
      return {
        ready,
        status: await svstat(side, 'web', 'up,ready'),
        final: f.cmdline,
        supervisor: cmdline(stat(f.pid)?.ppid ?? -1)?.[0],
        creds: creds(f.pid),
        // with-contenv gave it the container's variables, which s6-svscan's environment lacks
        env: env.filter((e) => /^(PORT|GREETING)=/.test(e)).sort(),
        // fd 3 (the notification pipe) was closed once used
        fds: fds(f.pid),
        nodeInTree: tree.filter(isNode).length,
      };
    });
    same(
      r,
      {
        ready: 0,
        status: 'true true',
        final: ['sleep', '1000000'],
        supervisor: 's6-supervise',
        creds: { Uid: '65534 65534 65534 65534', Gid: '65534 65534 65534 65534', Groups: '65534' },
        env: ['GREETING=hello from the test', 'PORT=8081'],
        fds: { '0': '/dev/null', '1': 'pipe', '2': 'pipe' },
        nodeInTree: 0,
      },
      'web',
    );
  }, 60000);

  it("web's logger: s6-log, as nobody, writes web's lines, time-stamped, to /var/log/web/current", async () => {
    const r = await onBoth(async (side) => {
      const log = await logLines(side, "web: serving 'hello from the test' as nobody");
      const logger = await finalProgram(side, 'web/log', 's6-log');
      return {
        ...log,
        logger: logger.cmdline?.map((a) => norm(side, a)),
        loggerCreds: creds(logger.pid),
        currentOwner: statSync(join(side.root, 'var/log/web/current')).uid,
      };
    });
    same(
      r,
      {
        lines: ['web: starting on port 8081', "web: serving 'hello from the test' as nobody"],
        stamped: true,
        logger: ['s6-log', 'n3', 's1000000', 'T', '<root>/var/log/web'],
        loggerCreds: { Uid: '65534 65534 65534 65534', Gid: '65534 65534 65534 65534', Groups: '65534' },
        currentOwner: 65534,
      },
      'logger',
    );
  }, 60000);

  it('worker: settings from its envdir, limits, stdin from /dev/null, nobody; its line in the container output', async () => {
    const r = await onBoth(async (side) => {
      const up = await svwait(side, '-u', 'worker');
      const f = await finalProgram(side, 'worker', 'sleep');
      return {
        up,
        final: f.cmdline,
        supervisor: cmdline(stat(f.pid)?.ppid ?? -1)?.[0],
        creds: creds(f.pid),
        openFiles: softLimit(f.pid, 'Max open files'),
        core: softLimit(f.pid, 'Max core file size'),
        stdin: fds(f.pid)?.['0'],
        env: (procList(f.pid, 'environ') ?? []).filter((e) => e.startsWith('WORKER_')).sort(),
        said: await outputLines(side, 'worker:', 1),
        nodeInTree: [f.pid, ...descendantsOf(f.pid)].filter(isNode).length,
      };
    });
    same(
      r,
      {
        up: 0,
        final: ['sleep', '1000000'],
        supervisor: 's6-supervise',
        creds: { Uid: '65534 65534 65534 65534', Gid: '65534 65534 65534 65534', Groups: '65534' },
        openFiles: '64',
        core: '0',
        stdin: '/dev/null',
        env: ['WORKER_QUEUE=jobs', 'WORKER_THREADS=4'],
        said: ['worker: queue jobs, 4 threads, as nobody, open files 64'],
        nodeInTree: 0,
      },
      'worker',
    );
  }, 60000);

  it('s6-svc -d runs finish with the exit code and the signal; a bad setting makes the run script exit 1; both come back up', async () => {
    const r = await onBoth(async (side) => {
      // stop both: SIGTERM kills the final programs
      await Promise.all([svc(side, '-d', 'web'), svc(side, '-d', 'worker')]);
      const down = [await svwait(side, '-D', 'web'), await svwait(side, '-D', 'worker')];
      const webStatus = await svstat(side, 'web', 'up,signal');
      const webFinish = (await logLines(side, 'web: stopped, exit code 256')).lines.filter((l) => l.startsWith('web: stopped'));
      const workerKilled = await outputLines(side, 'worker: killed', 1);
      // a bad setting in worker's envdir: `if { eltest ... }` fails, the run script exits 1
      const threads = join(side.scan, 'worker/env/WORKER_THREADS');
      writeFileSync(threads, '0\n');
      await svc(side, '-u', 'worker');
      const workerFailed = await outputLines(side, 'worker: exited', 1);
      await svc(side, '-d', 'worker');
      const failedDown = await svwait(side, '-D', 'worker');
      const failedStatus = await svstat(side, 'worker', 'up,exitcode');
      writeFileSync(threads, '4\n');
      // both back up
      await Promise.all([svc(side, '-u', 'web'), svc(side, '-u', 'worker')]);
      const backUp = [await svwait(side, '-U', 'web'), await svwait(side, '-u', 'worker')];
      const workerAgain = await outputLines(side, 'worker: queue', 2);
      const webAgain = (await logLines(side, "web: serving 'hello from the test' as nobody", 2)).lines;
      return {
        down,
        webStatus,
        webFinish,
        workerKilled,
        // s6-supervise may have retried the failing run script before -d: its lines are the same
        workerFailed: [...new Set(workerFailed)],
        failedDown,
        failedStatus,
        backUp,
        workerAgain,
        webLog: webAgain,
      };
    });
    same(
      r,
      {
        down: [0, 0],
        webStatus: 'false SIGTERM',
        webFinish: ['web: stopped, exit code 256'],
        workerKilled: ['worker: killed by signal 15'],
        workerFailed: ['worker: exited with code 1'],
        failedDown: 0,
        failedStatus: 'false 1',
        backUp: [0, 0],
        workerAgain: ['worker: queue jobs, 4 threads, as nobody, open files 64', 'worker: queue jobs, 4 threads, as nobody, open files 64'],
        webLog: [
          'web: starting on port 8081',
          "web: serving 'hello from the test' as nobody",
          'web: stopped, exit code 256',
          'web: starting on port 8081',
          "web: serving 'hello from the test' as nobody",
        ],
      },
      'finish and restarts',
    );
  }, 90000);
});

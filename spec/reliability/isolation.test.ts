// Isolation (issue 10): Node's own runtime never shows, and never opens a door. Whatever the
// caller's environment holds (NODE_OPTIONS, NODE_DEBUG, NODE_V8_COVERAGE, ...) and whatever
// signal arrives (SIGUSR1 starts Node's inspector by default), a chain behaves as the C
// reference does: signals kill with their default action, no socket is ever opened, Node prints
// nothing and writes no file, programs get the environment byte for byte, a failed execve ends
// in the reference's message and code (never an abort), the process is named after the command
// it runs, and the caller's soft RLIMIT_NOFILE reaches the programs. Every run is compared with
// the reference (same stdout, stderr and exit). Waits are on files and processes, polled with
// bounded timeouts; nothing races a fixed sleep.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execlineb, hasStackTrace, sidePath } from './common.js';
import { spawnAsync, type Run } from '../helpers.js';

const SIDES = [false, true] as const;
const sideName = (ref: boolean) => (ref ? 'reference' : 'ours');

let dir = '';
/** Sleeps started by the scripts (read from their pid files): killed when done with, or at the end. */
const strays = new Set<number>();

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-isolation-');
  chmodSync(dir, 0o755);
});

afterAll(() => {
  for (const pid of strays) killSleep(pid);
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A fresh directory under the test's temp dir. */
function subdir(name: string, mode = 0o755): string {
  const d = join(dir, `${name}-${seq++}`);
  mkdirSync(d);
  chmodSync(d, mode);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Processes: starting a chain we can watch while it runs, polling, the process tree.

interface Live {
  pid: number;
  stdout: () => string;
  done: Promise<Run>;
  cp: ChildProcess;
}

let nlaunch = 0;
/**
 * Starts exe args with stdout and stderr going to files (not pipes: Node's pipes to a child are
 * sockets, and the chain must hold none); a chain that does not end within 30 s is killed.
 */
function launch(exe: string, args: string[], env: Record<string, string>, cwd = dir): Live {
  const base = join(dir, `out${nlaunch++}`);
  const outFd = openSync(`${base}.1`, 'w+');
  const errFd = openSync(`${base}.2`, 'w+');
  const cp = spawn(exe, args, { env, cwd, stdio: ['ignore', outFd, errFd] });
  closeSync(outFd);
  closeSync(errFd);
  const read = (n: number) => () => readFileSync(`${base}.${n}`, 'latin1');
  const timer = setTimeout(() => cp.kill('SIGKILL'), 30000);
  let spawnError = '';
  const done = new Promise<Run>((resolve) => {
    cp.on('error', (e) => {
      spawnError = String(e);
    });
    cp.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout: read(1)(), stderr: read(2)() + spawnError, status, signal, pid: cp.pid ?? 0 });
    });
  });
  return { pid: cp.pid ?? 0, stdout: read(1), done, cp };
}

/** Starts `execlineb -P file` of one side (PATH is the side's unless env sets one). */
function launchFile(ref: boolean, file: string, env: Record<string, string> = {}, cwd = dir): Live {
  return launch(execlineb(ref), ['-P', file], { PATH: sidePath(ref), ...env }, cwd);
}

/** Polls f every 10 ms until it returns a truthy value; throws after ms. */
async function until<T>(f: () => T | undefined | null | false, what: string, ms = 10000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out (${ms} ms) waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pid a script wrote (`echo $$ > file`), once the line is complete. */
function pidIn(file: string): number | undefined {
  try {
    const s = readFileSync(file, 'latin1');
    return /^\d+\n$/.test(s) ? Number(s) : undefined;
  } catch {
    return undefined;
  }
}

/** Waits for a pid file and records the pid (a sleep) to be killed at the end. */
async function sleeperIn(file: string): Promise<number> {
  const pid = await until(() => pidIn(file), `the pid file ${file}`);
  strays.add(pid);
  return pid;
}

function stat(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = s.lastIndexOf(')');
    return { comm: s.slice(s.indexOf('(') + 1, close), ppid: Number(s.slice(close + 2).split(' ')[1]) };
  } catch {
    return undefined;
  }
}

function ppidOf(pid: number): number {
  const s = stat(pid);
  if (!s) throw new Error(`process ${pid} is gone`);
  return s.ppid;
}

function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'latin1').replace(/\n$/, '');
}

/** Kills a sleep we started, only if that pid is still a sleep (never a recycled pid). */
function killSleep(pid: number): void {
  if (stat(pid)?.comm !== 'sleep') return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  strays.delete(pid);
}

/** root and all its descendants (from /proc/PID/stat). */
function tree(root: number): number[] {
  const kids = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (!s) continue;
    if (!kids.has(s.ppid)) kids.set(s.ppid, []);
    kids.get(s.ppid)!.push(Number(e));
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.shift()!;
    out.push(p);
    todo.push(...(kids.get(p) ?? []));
  }
  return out;
}

/** Every fd of these processes that is a socket, as "pid (comm) fd N: socket:[inode]". */
function socketsOf(pids: number[]): { inodes: Set<string>; listing: string[] } {
  const inodes = new Set<string>();
  const listing: string[] = [];
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) {
        inodes.add(m[1]);
        listing.push(`${pid} (${stat(pid)?.comm}) fd ${fd}: ${link}`);
      }
    }
  }
  return { inodes, listing };
}

/** TCP sockets in LISTEN state on these ports (/proc/net/tcp and tcp6), with their inodes. */
function tcpListeners(ports: number[]): { port: number; inode: string }[] {
  const out: { port: number; inode: string }[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const port = parseInt(cols[1].split(':')[1], 16);
      if (ports.includes(port)) out.push({ port, inode: cols[9] });
    }
  }
  return out;
}

/** No process of the chain (root and descendants) holds a socket or listens on 9229/9339. */
function expectNoDoor(root: number, what: string): void {
  const pids = tree(root);
  const { inodes, listing } = socketsOf(pids);
  expect(listing, `${what}: sockets held by the chain (pids ${pids.join(' ')})`).toEqual([]);
  const ours = tcpListeners([9229, 9339]).filter((l) => inodes.has(l.inode));
  expect(ours, `${what}: inspector ports listened on by the chain`).toEqual([]);
}

/** No trace of Node in a run: no stack trace, no abort, no internal error, no Node warning. */
function sane(r: Run, what: string): void {
  const msg = `${what}: status=${r.status} signal=${r.signal} stderr=${r.stderr.slice(0, 800)}`;
  expect(hasStackTrace(r.stderr), msg).toBe(false);
  expect(r.stderr, msg).not.toMatch(/internal error|Debugger|inspector|\(node:\d+\)|Warning:|FATAL ERROR|Native stack trace/);
  expect(r.signal, msg).not.toBe('SIGABRT');
  expect(r.status, msg).not.toBe(134);
}

/** Ours ends as the reference: same stdout, stderr, exit status and signal. */
function same(o: Run, r: Run, what: string): void {
  sane(o, `${what} [ours]`);
  expect({ stdout: o.stdout, stderr: o.stderr, status: o.status, signal: o.signal }, what).toEqual({
    stdout: r.stdout,
    stderr: r.stderr,
    status: r.status,
    signal: r.signal,
  });
}

let nfile = 0;
/** Writes a script file (latin1) into d and returns its path. */
function script(d: string, text: string): string {
  const f = join(d, `script${nfile++}.el`);
  writeFileSync(f, text, 'latin1');
  return f;
}

// ---------------------------------------------------------------------------------------------
// 1. Signals Node reserves (SIGUSR1 for its inspector) or handles, and sockets.

/**
 * Waits for a chain that must end by itself once its waiting process was killed: a process
 * that survived the signal would go on waiting for the sleep, which is killed only after 10 s
 * (alone is then false).
 */
async function endsAlone(live: Live, sleeper: number): Promise<{ run: Run; alone: boolean }> {
  let alone = false;
  const ended = await Promise.race([
    live.done.then((x) => {
      alone = true;
      return x;
    }),
    new Promise<null>((res) => setTimeout(() => res(null), 10000)),
  ]);
  killSleep(sleeper);
  return { run: ended ?? (await live.done), alone };
}

const KILLERS: { sig: NodeJS.Signals; num: number }[] = [
  { sig: 'SIGUSR1', num: 10 },
  { sig: 'SIGUSR2', num: 12 },
  { sig: 'SIGHUP', num: 1 },
];

describe('a signal Node would handle kills the chain as it kills the reference', () => {
  for (const { sig, num } of KILLERS) {
    const name = sig.slice(3);
    it(`${sig} sent by the foreground block's program to the chain: death by ${sig}, as the reference`, async () => {
      const d = subdir('sig');
      const f = script(d, `foreground { sh -c "kill -${name} $PPID; sleep 1" } echo survived\n`);
      const [o, r] = await Promise.all(SIDES.map((ref) => launchFile(ref, f).done));
      expect(r.signal).toBe(sig);
      same(o, r, `execlineb -P ${f}`);
    });

    it(`${sig} sent to a Node child of background while it waits in foreground: death by ${sig}, as the reference`, async () => {
      const d = subdir('sigbg');
      // The chain's final program reaps the background child and prints its wait status.
      const f = script(
        d,
        'background { foreground { sh -c "echo $$ > $ELTS_PIDFILE; exec sleep 30 >/dev/null 2>&1" } echo survived }\n' +
          'importas -u ! !\n' +
          'perl -e "waitpid(shift, 0); print qq{st=$?\\n}" $!\n',
      );
      const runs = await Promise.all(
        SIDES.map(async (ref) => {
          const pidfile = join(d, `pid-${sideName(ref)}`);
          const live = launchFile(ref, f, { ELTS_PIDFILE: pidfile });
          const sleeper = await sleeperIn(pidfile);
          const child = ppidOf(sleeper);
          expect(ppidOf(child), 'the background child is a child of the chain').toBe(live.pid);
          // The precondition of the test: ours waits in a Node process there.
          const exe = readlinkSync(`/proc/${child}/exe`);
          expect(exe.slice(exe.lastIndexOf('/') + 1)).toBe(ref ? 'foreground' : 'node');
          process.kill(child, sig);
          const { run, alone } = await endsAlone(live, sleeper);
          expect(alone, `[${sideName(ref)}] the chain ended without waiting for the sleep; stdout=${run.stdout}`).toBe(true);
          return run;
        }),
      );
      const [o, r] = runs;
      expect(r.stdout).toBe(`st=${num}\n`);
      same(o, r, `execlineb -P ${f}`);
    });

    it(`${sig} sent to a forx -p body (a Node child) while it waits: the body dies, as the reference`, async () => {
      const d = subdir('sigforx');
      const f = script(d, 'forx -p X { 1 } foreground { sh -c "echo $$ > $ELTS_PIDFILE; exec sleep 30 >/dev/null 2>&1" } echo survived\n');
      const runs = await Promise.all(
        SIDES.map(async (ref) => {
          const pidfile = join(d, `pid-${sideName(ref)}`);
          const live = launchFile(ref, f, { ELTS_PIDFILE: pidfile });
          const sleeper = await sleeperIn(pidfile);
          const body = ppidOf(sleeper);
          expect(ppidOf(body), 'the body is a child of forx').toBe(live.pid);
          process.kill(body, sig);
          const { run, alone } = await endsAlone(live, sleeper);
          expect(alone, `[${sideName(ref)}] the chain ended without waiting for the sleep; stdout=${run.stdout}`).toBe(true);
          return run;
        }),
      );
      const [o, r] = runs;
      expect(r.stdout).toBe('');
      same(o, r, `execlineb -P ${f}`);
    });
  }
});

describe('no socket, ever: NODE_OPTIONS=--inspect in the environment, SIGUSR1 trapped', () => {
  const INSPECT = '--inspect=127.0.0.1:9339';
  /** A program that writes its pid into $ELTS_DIR/p<suffix> and sleeps (sh expands both). */
  const SLEEP = (suffix: string) => `sh -c "echo $$ > $ELTS_DIR/p${suffix}; exec sleep 30 >/dev/null 2>&1"`;

  /**
   * Runs a script whose sleeps write their pids into $ELTS_DIR/p<suffix>, under both, with
   * NODE_OPTIONS=--inspect: once all sleep, optionally sends SIGUSR1 to the chain and waits for
   * `got`, checks that no process of the chain holds a socket, then kills the sleeps.
   */
  async function scan(text: string, suffixes: string[], usr1 = false): Promise<void> {
    const d = subdir('door');
    const f = script(d, text);
    const runs = await Promise.all(
      SIDES.map(async (ref) => {
        const sd = subdir(`door-${sideName(ref)}`);
        const live = launchFile(ref, f, { NODE_OPTIONS: INSPECT, ELTS_DIR: sd });
        const sleepers = await Promise.all(suffixes.map((x) => sleeperIn(join(sd, `p${x}`))));
        try {
          if (usr1) {
            process.kill(live.pid, 'SIGUSR1');
            await until(() => live.stdout().includes('got\n'), 'the trap directive to print got');
          }
          expectNoDoor(live.pid, `[${sideName(ref)}] execlineb -P ${f}`);
        } finally {
          for (const s of sleepers) killSleep(s);
        }
        return live.done;
      }),
    );
    same(runs[0], runs[1], `NODE_OPTIONS=${INSPECT} execlineb -P ${f}`);
  }

  it('while the chain waits in foreground', async () => {
    await scan(`foreground { ${SLEEP('1')} } echo x\n`, ['1']);
  });
  it('while a Node child of background waits in foreground, and the chain in wait', async () => {
    await scan(`background { foreground { ${SLEEP('1')} } echo y } wait { } echo x\n`, ['1']);
  });
  it('while forx -p bodies (Node children) wait', async () => {
    await scan(`forx -p X { 1 2 } foreground { ${SLEEP('$X')} } echo body\n`, ['1', '2']);
  });
  it('after SIGUSR1 reached a chain that traps it', async () => {
    await scan(`trap { USR1 { echo got } } ${SLEEP('1')}\n`, ['1'], true);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. The caller's environment steers no Node of ours, and reaches every program unchanged.

/** One environment entry as raw bytes (latin1: one char per byte). */
type Entry = string;

/** A printf format (for sh) that prints the bytes of s exactly. */
function printfFormat(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '%') out += '%%';
    else if (/[A-Za-z0-9_./=,:+@-]/.test(ch)) out += ch;
    else out += '\\' + c.toString(8).padStart(3, '0');
  }
  return out;
}

/**
 * Starts `exe args...` with exactly these environment entries, in this order, byte for byte
 * (Node would encode a spawn's environment as UTF-8): sh builds each entry with printf, and
 * `env -i` puts them in an empty environment in order.
 */
function withEnv(entries: Entry[], exe: string, args: string[], cwd: string): Promise<Run> {
  const words = entries.map((e) => `"$(printf '${printfFormat(e)}')"`).join(' ');
  return launch('/bin/sh', ['-c', `exec /usr/bin/env -i ${words} "$@"`, 'sh', exe, ...args], {}, cwd).done;
}

/** The entries of an environ file (NUL-terminated), PATH and pipeline's `!` made side-neutral. */
function environOf(file: string, ref: boolean): string[] {
  const text = readFileSync(file, 'latin1');
  return text
    .split('\0')
    .slice(0, -1)
    .map((e) => (e === `PATH=${sidePath(ref)}` ? 'PATH=<side>' : e.replace(/^!=\d+$/, '!=<pid>')));
}

interface EnvCase {
  name: string;
  /** The entries after PATH, given the case's directory (its own for each side). */
  entries: (d: string) => Entry[];
  /** Set up the case's directory before the run. */
  setup?: (d: string) => void;
  /** Checks on the case's directory after the run (no file written by Node...). */
  after?: (d: string) => void;
}

/** A directory that must stay empty: nothing of Node's written there. */
function emptyDir(name: string): Pick<EnvCase, 'setup' | 'after'> {
  return {
    setup: (d) => mkdirSync(join(d, name)),
    after: (d) => expect(readdirSync(join(d, name)), `files written into ${name}`).toEqual([]),
  };
}

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const ENV_CASES: EnvCase[] = [
  { name: 'NODE_OPTIONS=--require ./tracing.js (missing)', entries: () => ['NODE_OPTIONS=--require ./tracing.js'] },
  {
    name: 'NODE_OPTIONS=--require /abs/hook.cjs (a hook that writes a marker)',
    entries: (d) => [`NODE_OPTIONS=--require ${d}/hook.cjs`],
    setup: (d) =>
      writeFileSync(join(d, 'hook.cjs'), `require('fs').appendFileSync(${JSON.stringify(join(d, 'marker'))}, 'loaded in ' + process.pid + '\\n');\n`),
    after: (d) => expect(existsSync(join(d, 'marker')), 'the hook ran in a Node of ours').toBe(false),
  },
  { name: 'NODE_OPTIONS=--inspect=127.0.0.1:9339', entries: () => ['NODE_OPTIONS=--inspect=127.0.0.1:9339'] },
  { name: 'NODE_OPTIONS=--max-old-space-size=1', entries: () => ['NODE_OPTIONS=--max-old-space-size=1'] },
  { name: 'NODE_OPTIONS=--stack-size=10', entries: () => ['NODE_OPTIONS=--stack-size=10'] },
  {
    name: 'NODE_OPTIONS with non-UTF-8 bytes',
    entries: () => ['NODE_OPTIONS=--title=\xff\xfe\xc3( --no-such-flag-\x80'],
  },
  { name: 'NODE_EXTRA_CA_CERTS (a missing file)', entries: (d) => [`NODE_EXTRA_CA_CERTS=${d}/missing.pem`] },
  {
    name: 'NODE_EXTRA_CA_CERTS (a real file)',
    entries: (d) => [`NODE_EXTRA_CA_CERTS=${d}/ca.pem`],
    setup: (d) => {
      if (existsSync(CA_BUNDLE)) copyFileSync(CA_BUNDLE, join(d, 'ca.pem'));
      else writeFileSync(join(d, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    },
  },
  { name: 'NODE_V8_COVERAGE=dir', entries: (d) => [`NODE_V8_COVERAGE=${d}/coverage`], ...emptyDir('coverage') },
  { name: 'NODE_DEBUG=*', entries: () => ['NODE_DEBUG=*'] },
  { name: 'NODE_DEBUG with non-UTF-8 bytes', entries: () => ['NODE_DEBUG=\xff\xfe,module,\xe9t\xe9,*'] },
  {
    name: 'NODE_DEBUG_NATIVE',
    entries: () => ['NODE_DEBUG_NATIVE=ADDONS,COMPILE_CACHE,DIAGNOSTICS,INSPECTOR_SERVER,MKSNAPSHOT,MODULE,PERMISSION_MODEL,PLATFORM,SEA,WASI,WORKER'],
  },
  { name: 'NODE_PATH', entries: (d) => [`NODE_PATH=${d}/modules:${d}/none`], setup: (d) => mkdirSync(join(d, 'modules')) },
  { name: 'NODE_COMPILE_CACHE=dir', entries: (d) => [`NODE_COMPILE_CACHE=${d}/cache`], ...emptyDir('cache') },
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED=0', entries: () => ['NODE_TLS_REJECT_UNAUTHORIZED=0'] },
  { name: 'NODE_NO_WARNINGS=1', entries: () => ['NODE_NO_WARNINGS=1'] },
  { name: 'UV_THREADPOOL_SIZE=1', entries: () => ['UV_THREADPOOL_SIZE=1'] },
  { name: 'NODE_PENDING_DEPRECATION=1', entries: () => ['NODE_PENDING_DEPRECATION=1'] },
  {
    name: 'all of them at once, between ordinary variables',
    entries: (d) => [
      'A_FIRST=1',
      `NODE_OPTIONS=--require ${d}/hook.cjs --inspect=127.0.0.1:9339 --max-old-space-size=1 --stack-size=10`,
      `NODE_EXTRA_CA_CERTS=${d}/missing.pem`,
      `NODE_V8_COVERAGE=${d}/coverage`,
      'NODE_DEBUG=*',
      'NODE_DEBUG_NATIVE=COMPILE_CACHE,MODULE,PLATFORM',
      `NODE_COMPILE_CACHE=${d}/cache`,
      'NODE_TLS_REJECT_UNAUTHORIZED=0',
      'UV_THREADPOOL_SIZE=1',
      'NODE_PENDING_DEPRECATION=1',
      'Z_LAST=\xff',
    ],
    setup: (d) => {
      writeFileSync(join(d, 'hook.cjs'), `require('fs').appendFileSync(${JSON.stringify(join(d, 'marker'))}, 'x\\n');\n`);
      mkdirSync(join(d, 'coverage'));
      mkdirSync(join(d, 'cache'));
    },
    after: (d) => {
      expect(existsSync(join(d, 'marker')), 'the hook ran in a Node of ours').toBe(false);
      expect(readdirSync(join(d, 'coverage')), 'coverage files').toEqual([]);
      expect(readdirSync(join(d, 'cache')), 'compile cache files').toEqual([]);
    },
  },
];

/**
 * Every kind of block, each program saving its environment (/proc/$$/environ: what execve gave
 * the sh) into a file of the current directory: foreground, a background block of our commands
 * (a Node child), a backtick block of our commands, forx -p bodies of our commands, a pipeline
 * block of our commands, and the final program.
 */
const ENV_SCRIPT = [
  'foreground { sh -c "cat /proc/$$/environ > env-fg" }',
  'foreground { background { if { true } sh -c "cat /proc/$$/environ > env-bg" } wait { } }',
  'backtick -n ELTS_BT { if { true } sh -c "cat /proc/$$/environ > env-bt; echo captured" }',
  'foreground { forx -p ELTS_X { 1 2 } if { true } sh -c "cat /proc/$$/environ > env-fx$ELTS_X" }',
  'pipeline { if { true } sh -c "cat /proc/$$/environ > env-pl; echo piped" }',
  'sh -c "cat; cat /proc/$$/environ > env-main; echo end"',
  '',
].join('\n');
const ENV_FILES = ['env-fg', 'env-bg', 'env-bt', 'env-fx1', 'env-fx2', 'env-pl', 'env-main'];

describe('the caller environment steers no Node of ours and reaches the programs unchanged', () => {
  for (const c of ENV_CASES) {
    it(`${c.name}: the reference's output, and the programs see it byte for byte, in order`, async () => {
      const runs = await Promise.all(
        SIDES.map(async (ref) => {
          const d = subdir(`env-${sideName(ref)}`);
          c.setup?.(d);
          const f = script(d, ENV_SCRIPT);
          const entries = [`PATH=${sidePath(ref)}`, ...c.entries(d)];
          const r = await withEnv(entries, execlineb(ref), ['-P', f], d);
          c.after?.(d);
          const envs = ENV_FILES.map((n) => (existsSync(join(d, n)) ? environOf(join(d, n), ref).map((e) => e.split(d).join('<dir>')) : null));
          return { r, envs, given: ['PATH=<side>', ...c.entries(d).map((e) => e.split(d).join('<dir>'))] };
        }),
      );
      const [o, r] = runs;
      expect(r.r.stdout).toBe('piped\nend\n');
      same(o.r, r.r, `${c.name}: execlineb -P <script>`);
      // The reference passes the caller's environment on as it is (plus the variables the
      // script sets): the first block's program sees exactly the given entries, in order.
      expect(r.envs.map((e, i) => (e ? ENV_FILES[i] : null))).toEqual(ENV_FILES);
      expect(r.envs[0]).toEqual(r.given);
      expect(o.envs[0], 'the foreground program').toEqual(o.given);
      for (let i = 0; i < ENV_FILES.length; i++) expect(o.envs[i], `the environment of ${ENV_FILES[i]}'s program`).toEqual(r.envs[i]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 3. A failed execve never aborts: the reference's message and exit code, wherever it happens.

let fx = '';
/** The background process holding `busy` open for writing (ETXTBSY), and its pid. */
let holder: ChildProcess | undefined;
/** Whether `unshare -m` with a noexec tmpfs works here. */
let noexecOk = false;
const unshareFlags = () => (process.getuid?.() === 0 ? ['-m'] : ['-r', '-m']);

interface ExecCase {
  name: string;
  /** The command words (script text). */
  prog: () => string;
  /** The reference's message must say this (checks the fixture does what it is meant to). */
  says?: string;
  /** Extra PATH directory (searched before the system's). */
  pathDir?: () => string;
  /** Run inside a mount namespace with a noexec tmpfs at fx/mnt holding a copy of /bin/true. */
  noexec?: boolean;
}

const BIG = 'a'.repeat(200 * 1024);

const EXEC_CASES: ExecCase[] = [
  { name: 'a bad ELF header', prog: () => `${fx}/badelf`, says: 'Exec format error' },
  { name: 'a truncated ELF (the first 64 bytes of /bin/true)', prog: () => `${fx}/truncated`, says: 'Exec format error' },
  { name: 'a file with neither #! nor magic', prog: () => `${fx}/nomagic`, says: 'Exec format error' },
  { name: '#!/nonexistent', prog: () => `${fx}/shebang-missing` },
  { name: '#! naming a directory', prog: () => `${fx}/shebang-dir`, says: 'Permission denied' },
  { name: 'a directory', prog: () => `${fx}/dir`, says: 'Permission denied' },
  { name: 'a file without x permission', prog: () => `${fx}/nox`, says: 'Permission denied' },
  { name: 'ETXTBSY (open for writing by another process)', prog: () => `${fx}/busy`, says: 'Text file busy' },
  { name: 'ELOOP (a symlink loop)', prog: () => `${fx}/loop-a`, says: 'Too many levels of symbolic links' },
  { name: 'E2BIG (a 200 KiB argument)', prog: () => `true ${BIG}`, says: 'Argument list too long' },
  { name: 'ENOEXEC found by PATH search', prog: () => 'elts-nomagic', pathDir: () => `${fx}/path`, says: 'Exec format error' },
  { name: 'EACCES on a noexec mount', prog: () => `${fx}/mnt/true`, noexec: true, says: 'Permission denied' },
];

/** Where the failing program runs: each context's script around it. */
const EXEC_CONTEXTS: { name: string; text: (p: string) => string }[] = [
  { name: 'the main chain', text: (p) => `${p}\n` },
  { name: 'a foreground block', text: (p) => `foreground { ${p} }\nimportas -u ? ?\necho st=$?\n` },
  { name: 'an if block', text: (p) => `if { ${p} }\necho not reached\n` },
  {
    // A Node child of ours (background of our commands); the final program reaps it and prints
    // its wait status (126 << 8, not an abort's 6).
    name: 'a background block of our commands',
    text: (p) => `background { if { true } ${p} }\nimportas -u ! !\nperl -e "waitpid(shift, 0); print qq{st=$?\\n}" $!\n`,
  },
];

describe('a failed execve ends in the reference message and code, never an abort', () => {
  beforeAll(async () => {
    fx = subdir('exec');
    writeFileSync(join(fx, 'badelf'), Buffer.from('\x7fELF\x02\x01\x01\x00junk', 'latin1'), { mode: 0o755 });
    writeFileSync(join(fx, 'truncated'), readFileSync('/bin/true').subarray(0, 64), { mode: 0o755 });
    writeFileSync(join(fx, 'nomagic'), 'echo hi\n', { mode: 0o755 });
    writeFileSync(join(fx, 'shebang-missing'), '#!/nonexistent\n', { mode: 0o755 });
    writeFileSync(join(fx, 'shebang-dir'), `#!${fx}\n`, { mode: 0o755 });
    mkdirSync(join(fx, 'dir'));
    copyFileSync('/bin/true', join(fx, 'nox'));
    chmodSync(join(fx, 'nox'), 0o644);
    symlinkSync(join(fx, 'loop-b'), join(fx, 'loop-a'));
    symlinkSync(join(fx, 'loop-a'), join(fx, 'loop-b'));
    mkdirSync(join(fx, 'path'));
    writeFileSync(join(fx, 'path', 'elts-nomagic'), 'echo hi\n', { mode: 0o755 });
    mkdirSync(join(fx, 'mnt'));
    copyFileSync('/bin/true', join(fx, 'busy'));
    chmodSync(join(fx, 'busy'), 0o755);
    // A sleep holding busy open for writing; it says "ready" once the fd is open.
    holder = spawn('/bin/sh', ['-c', 'exec 3>>"$1"; echo ready; exec sleep 300 >/dev/null', 'sh', join(fx, 'busy')], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let said = '';
    holder.stdout!.on('data', (b: Buffer) => (said += b.toString('latin1')));
    await until(() => said.includes('ready'), 'the ETXTBSY holder');
    const probe = await spawnAsync(
      '/usr/bin/unshare',
      [...unshareFlags(), '/bin/sh', '-c', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin mount -t tmpfs -o noexec tmpfs "$1"', 'sh', join(fx, 'mnt')],
      { env: {}, timeout: 10000 },
    );
    noexecOk = probe.status === 0;
  });
  afterAll(() => {
    holder?.kill('SIGKILL');
  });

  for (const c of EXEC_CASES) {
    it(`${c.name}, in the main chain and in foreground, if and background blocks, as the reference`, async (ctx) => {
      if (c.noexec && !noexecOk) ctx.skip();
      const d = subdir('execrun');
      const runs = await Promise.all(
        EXEC_CONTEXTS.flatMap((x) =>
          SIDES.map(async (ref) => {
            const f = script(d, x.text(c.prog()));
            const env = { PATH: c.pathDir ? `${sidePath(ref)}:${c.pathDir()}:/usr/bin:/bin` : sidePath(ref) };
            let live: Live;
            if (c.noexec) {
              const setup =
                'PATH=/usr/sbin:/usr/bin:/sbin:/bin; mount -t tmpfs -o noexec tmpfs "$1" && cp /bin/true "$1/true" || exit 97; ' +
                'shift; PATH=$ELTS_PATH; export PATH; exec "$@"';
              live = launch('/usr/bin/unshare', [...unshareFlags(), '/bin/sh', '-c', setup, 'sh', join(fx, 'mnt'), execlineb(ref), '-P', f], {
                ELTS_PATH: env.PATH,
              });
            } else live = launch(execlineb(ref), ['-P', f], env);
            return { x, ref, f, r: await live.done };
          }),
        ),
      );
      for (let i = 0; i < runs.length; i += 2) {
        const [o, r] = [runs[i], runs[i + 1]];
        const what = `${c.name} in ${o.x.name}: execlineb -P ${o.f}`;
        if (c.says) expect(r.r.stderr, `${what} [reference]`).toContain(c.says);
        expect(r.r.stderr, `${what} [reference]`).toMatch(/unable to (exec|spawn)/);
        expect(o.r.stdout).not.toContain('not reached');
        same(o.r, r.r, what);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 4. The process looks like what it runs: comm, the command line, pgrep and pidof.

/** What ps, pgrep -f and docker top show of a command line: the argv joined by spaces. */
function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').replaceAll('\0', ' ');
}

async function psArgs(pid: number): Promise<string> {
  return (await spawnAsync('ps', ['-o', 'args=', '-p', String(pid)], { env: { PATH: '/usr/bin:/bin' }, timeout: 10000 })).stdout.replace(/\n$/, '');
}

async function finds(tool: string, args: string[], pid: number): Promise<boolean> {
  const r = await spawnAsync(tool, args, { env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }, timeout: 10000 });
  return r.stdout.split(/\s+/).includes(String(pid));
}

interface Looks {
  comm: string;
  cmdline: string;
  args: string;
  pgrep: boolean;
  pidof: boolean;
}

async function looks(pid: number): Promise<Looks> {
  const c = comm(pid);
  return {
    comm: c,
    cmdline: cmdline(pid),
    args: await psArgs(pid),
    pgrep: await finds('pgrep', ['-x', c], pid),
    pidof: existsSync('/usr/bin/pidof') || existsSync('/bin/pidof') ? await finds('pidof', [c], pid) : true,
  };
}

const WAITER = 'sh -c "echo $$ > $ELTS_PIDFILE; exec sleep 30"';

const NAME_CASES: { name: string; text: string; comm: string; childComm?: string }[] = [
  { name: 'foreground', text: `foreground { ${WAITER} } echo x\n`, comm: 'foreground' },
  { name: 'if', text: `if { ${WAITER} } echo x\n`, comm: 'if' },
  { name: 's6-setuidgid nobody foreground', text: `s6-setuidgid nobody foreground { ${WAITER} } echo x\n`, comm: 'foreground' },
  {
    name: 'a Node child of background waiting in foreground',
    text: `background { foreground { ${WAITER} } echo y } wait { } echo x\n`,
    comm: 'wait',
    childComm: 'foreground',
  },
];

describe('the process looks like the command it runs, as under the reference', () => {
  for (const c of NAME_CASES) {
    it(`${c.name}: comm ${c.childComm ?? c.comm}, the same command line, found by pgrep -x and pidof`, async () => {
      // The pid files are written by the program (as nobody under s6-setuidgid).
      const d = subdir('names', 0o777);
      const f = script(d, c.text);
      chmodSync(f, 0o644);
      const runs = await Promise.all(
        SIDES.map(async (ref) => {
          const pidfile = join(d, `pid-${sideName(ref)}`);
          const live = launchFile(ref, f, { ELTS_PIDFILE: pidfile });
          const sleeper = await sleeperIn(pidfile);
          let main: Looks;
          let child: Looks | null = null;
          try {
            if (c.childComm) {
              // The chain goes on after background started the child: let it reach its wait
              // (a bounded poll; if it never shows the name, the comparison below says so).
              await until(() => comm(live.pid) === c.comm, `the chain to show ${c.comm}`).catch(() => undefined);
            }
            main = await looks(live.pid);
            if (c.childComm) {
              const bg = ppidOf(sleeper);
              expect(ppidOf(bg), 'the background child is a child of the chain').toBe(live.pid);
              child = await looks(bg);
            } else expect(ppidOf(sleeper), 'the program is a child of the chain').toBe(live.pid);
          } finally {
            killSleep(sleeper);
          }
          return { main, child, r: await live.done };
        }),
      );
      const [o, r] = runs;
      expect(r.main.comm).toBe(c.comm);
      expect(r.child?.comm).toBe(c.childComm);
      expect(r.main.args.startsWith(c.comm)).toBe(true);
      expect(o.main, 'the chain').toEqual(r.main);
      expect(o.child, 'the background child').toEqual(r.child);
      same(o.r, r.r, `execlineb -P ${f}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 5. The caller's soft RLIMIT_NOFILE reaches the programs (Node raises its own to the hard one).

describe("the caller's soft open-files limit reaches the programs, as under the reference", () => {
  let hard = '';
  beforeAll(async () => {
    hard = (await spawnAsync('/bin/sh', ['-c', 'ulimit -Hn'], { env: { PATH: '/usr/bin:/bin' } })).stdout.trim();
  });

  /** Runs `sh -c 'ulimit -Sn soft; exec execlineb -P file'` under both. */
  async function underSoft(soft: number, text: string): Promise<[Run, Run]> {
    const d = subdir('nofile');
    const f = script(d, text);
    const runs = await Promise.all(
      SIDES.map((ref) => launch('/bin/sh', ['-c', `ulimit -Sn ${soft} && exec "$@"`, 'sh', execlineb(ref), '-P', f], { PATH: sidePath(ref) }).done),
    );
    same(runs[0], runs[1], `ulimit -Sn ${soft}; execlineb -P ${f}`);
    return runs as [Run, Run];
  }

  it('the final program (sh -c "ulimit -Sn"): 512', async () => {
    const [, r] = await underSoft(512, 'sh -c "ulimit -Sn"\n');
    expect(r.stdout).toBe('512\n');
  });

  it('foreground, background (a Node child) and backtick blocks; after s6-softlimit -o 100 and -o =; the hard limit unchanged', async () => {
    const show = (label: string) => `sh -c "echo ${label}$(ulimit -Sn) $(ulimit -Hn)"`;
    const blocks = (tag: string) =>
      [
        `foreground { ${show(`${tag} fg `)} }`,
        `foreground { background { if { true } ${show(`${tag} bg `)} } wait { } }`,
        `backtick -n BT_${tag} { ${show('')} }`,
        `backtick -n BTN_${tag} { if { true } ${show('')} }`,
        `multisubstitute { importas -u BT_${tag} BT_${tag} importas -u BTN_${tag} BTN_${tag} }`,
        `foreground { echo ${tag} bt \${BT_${tag}} }`,
        `foreground { echo ${tag} btn \${BTN_${tag}} }`,
      ].join('\n');
    const text = [blocks('caller'), 's6-softlimit -o 100', blocks('o100'), 's6-softlimit -o =', blocks('hard'), show(''), ''].join('\n');
    const [, r] = await underSoft(512, text);
    const lines = (tag: string, n: string) => [`${tag} fg ${n} ${hard}`, `${tag} bg ${n} ${hard}`, `${tag} bt ${n} ${hard}`, `${tag} btn ${n} ${hard}`];
    expect(r.stdout).toBe([...lines('caller', '512'), ...lines('o100', '100'), ...lines('hard', hard), `${hard} ${hard}`, ''].join('\n'));
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Signals the caller ignored stay ignored in the chain itself, from the first instant: Node's
// start-up resets every disposition, the signal guard keeps it from doing so (sigguard.c).

describe('a signal the caller ignored', () => {
  for (const sig of ['TERM', 'INT', 'HUP', 'QUIT', 'USR2']) {
    it(`SIG${sig} sent to a chain waiting in a block does nothing, as under the reference`, async () => {
      const runs: Run[] = [];
      for (const ref of SIDES) {
        // perl ignores the signal, then execs execlineb: the block's sh kills its parent, the chain.
        runs.push(
          await spawnAsync(
            'perl',
            [
              '-e',
              `$SIG{${sig}}="IGNORE"; exec @ARGV`,
              execlineb(ref),
              '-Pc',
              `foreground { sh -c "kill -${sig} $PPID; echo sent" } foreground { sh -c "grep SigIgn /proc/self/status" } echo survived`,
            ],
            { env: { PATH: sidePath(ref) }, timeout: 10000 },
          ),
        );
      }
      const [o, r] = runs;
      expect(r.stdout).toMatch(/^sent\nSigIgn:\t[0-9a-f]+\nsurvived\n$/);
      same(o, r, `SIG${sig} ignored by the caller`);
    });
  }
});

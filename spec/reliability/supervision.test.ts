// Under real supervision: our launchers are installed into a temp dir, two scan directories get
// the same services (run and finish scripts `#!DIR/execlineb -P` / `-S1` / `-S2`, identical
// bodies), one with our execlineb in the #! line and on PATH, one with the reference's, and a
// real s6-svscan (Debian's s6) runs on each. Every case drives both trees with s6-svc, waits with
// s6-svwait / s6-svstat / files the services write (never a fixed sleep), and checks that the
// reference gives the expected result and ours gives the reference's: readiness through a
// notification fd, the finish script's arguments, signals reaching the final program (trapped or
// with their default action, and during a foreground block), privilege drop, a logger, and the
// process tree (the PID s6-supervise reports is the final program; no Node left in the tree).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT, REF_BIN } from '../helpers.js';
import {
  type Ran,
  allPids,
  childrenOf,
  cmdline,
  creds,
  descendantsOf,
  isNodeProcess,
  pause,
  readText,
  run as runWith,
  stat,
  waitFor as waitWithin,
} from '../procs.js';

const isRoot = process.getuid?.() === 0;
const S6 = '/usr/bin';
/** A bound for every wait: long enough for a loaded CI machine, only reached when something is wrong. */
const WAIT = 10000;

interface Side {
  name: 'ours' | 'reference';
  /** The directory of the side: scan/, rec/ (files services write), log/ (the logger's logdir). */
  dir: string;
  scan: string;
  rec: string;
  env: Record<string, string>;
  shebang: string;
  svscan: ChildProcess | null;
  /** What the tree wrote to s6-svscan's stdout and stderr (unlogged services, s6 warnings). */
  output: string;
}

let top = ''; // the temp dir: bin/ (our launchers), prog/ (helper shell scripts), ours/, reference/
let prog = '';
const sides: Side[] = [];

// ---------------------------------------------------------------------------------------------
// Processes and /proc

/** Runs a short program without blocking the worker, bounded by WAIT and a margin. */
const run = (cmd: string, args: string[], env: Record<string, string> = { PATH: '/usr/bin:/bin' }, timeout = WAIT + 5000): Promise<Ran> =>
  runWith(cmd, args, env, timeout);

/** Polls probe until ok(value) or WAIT. */
const waitFor = <T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = WAIT) => waitWithin(probe, ok, ms);

/** A Node process, or any process running our bundle or launchers. */
const isOurs = (pid: number): boolean => isNodeProcess(pid, top !== '' ? join(top, 'bin') : '');

/** The fd table of a process, targets made comparable between the sides (pipe:[123] -> pipe). */
function fds(pid: number, side: Side): Record<string, string> | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const res: Record<string, string> = {};
  for (const n of names) {
    try {
      res[n] = readlinkSync(`/proc/${pid}/fd/${n}`)
        .replace(/^(pipe|socket):\[\d+\]$/, '$1')
        .replace(/^anon_inode:\[?([a-z_]+)\]?$/, 'anon_inode:$1')
        .split(side.dir)
        .join('<side>')
        .split(top)
        .join('<top>');
    } catch {
      /* closed meanwhile */
    }
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// The services

/** The helper programs the services run (with `sh FILE`), shared by both sides. */
const PROGS: Record<string, string> = {
  // gate.sh MARK GATE: says it is running (MARK), then waits until the test opens GATE.
  'gate.sh': ': > "$1"\nwhile test ! -e "$2"; do sleep 0.02; done\n',
  // notify.sh GATE: a daemon whose stdout is the notification fd: waits for GATE, notifies, closes it.
  'notify.sh': 'while test ! -e "$1"; do sleep 0.02; done\necho\nexec 1>&-\nexec sleep 100000\n',
  // trap.sh REC: records every signal it catches with its PID; TERM also ends it (exit 0).
  'trap.sh': [
    'rec=$1',
    'trap \'echo TERM $$ >> "$rec"; exit 0\' TERM',
    'for s in HUP INT USR1 USR2; do trap "echo $s \\$\\$ >> \\"\\$rec\\"" $s; done',
    'echo started $$ >> "$rec"',
    'while :; do sleep 0.05; done',
    '',
  ].join('\n'),
};

interface Service {
  run: string;
  /** The finish script: [execlineb option, body]. */
  finish?: [string, string];
  notificationFd?: number;
  /** Wanted down at start (a `down` file): the test brings it up. */
  down?: boolean;
  /** The body of log/run. */
  log?: string;
}

/** s6-svc option -> signal name and number. */
const SIGS: Record<string, [string, number]> = {
  t: ['TERM', 15],
  h: ['HUP', 1],
  i: ['INT', 2],
  '1': ['USR1', 10],
  '2': ['USR2', 12],
  k: ['KILL', 9],
};

/** Records the finish arguments: exit code, signal, service name. Paths are relative to the service dir. */
const RECORD_FINISH = (name: string) => `redirfd -a 1 ../../rec/${name}.finish\necho $1 $2 $3\n`;

/** The services, their bodies the same on both sides (paths relative to the service directory). */
function services(): Record<string, Service> {
  const s: Record<string, Service> = {
    // readiness: the daemon writes the notification itself (the idiom of s6-supervise's page)
    notify: { notificationFd: 3, down: true, run: `fdmove -c 2 1\nfdmove 1 3\nsh ${prog}/notify.sh ../../rec/notify.gate\n` },
    // readiness: the run script notifies from a block, closes the fd, then execs the daemon
    'notify-block': {
      notificationFd: 3,
      down: true,
      run: `fdmove -c 2 1\nforeground { sh ${prog}/gate.sh ../../rec/notify-block.mark ../../rec/notify-block.gate }\nforeground { fdmove 1 3 echo }\nfdclose 3\nsleep 100000\n`,
    },
    // finish arguments after a normal exit: from execline's own exit, and from a program
    'fin-exit': { down: true, run: 'exit 3\n', finish: ['-S2', RECORD_FINISH('fin-exit')] },
    'fin-prog': { down: true, run: 'fdmove -c 2 1\nsh -c "exit 42"\n', finish: ['-S1', RECORD_FINISH('fin-prog')] },
    // signals caught by the final program, chain-loaded through s6-setsid, s6-softlimit and exec
    sig: { down: true, run: `redirfd -w 1 ../../rec/sig.out\nfdmove -c 2 1\ns6-setsid\ns6-softlimit -o 200\nexec\nsh ${prog}/trap.sh ../../rec/sig\n` },
    // privilege drop
    uid: { down: true, run: 'fdmove -c 2 1\ns6-setuidgid nobody\nsleep 100000\n' },
    uid2: { down: true, run: 'fdmove -c 2 1\ns6-envuidgid nobody\ns6-applyuidgid -U\nsleep 100000\n' },
    // a logged service: stdout and stderr of blocks and of the final program go to s6-log
    logged: {
      down: true,
      run:
        'fdmove -c 2 1\nforeground { echo out: from a foreground block }\nforeground { sh -c "echo err: to stderr >&2" }\n' +
        'sh -c "echo out: from the final program; exec sleep 100000"\n',
      log: 'fdmove -c 2 1\ns6-log -b ../../../log\n',
    },
  };
  for (const [opt, [name]] of Object.entries(SIGS)) {
    // the final program (sleep, no handler) dies of the signal: the default action
    s[`die-${name}`] = {
      down: true,
      run: 'fdmove -c 2 1\ns6-softlimit -o 200\nsleep 100000\n',
      finish: [opt.match(/[kh1]/) ? '-S1' : '-S2', RECORD_FINISH(`die-${name}`)],
    };
    // the signal arrives while the run script waits for a foreground block: it dies of it
    if (opt !== 'k')
      s[`mid-${name}`] = {
        down: true,
        run: `fdmove -c 2 1\nforeground { sh ${prog}/gate.sh ../../rec/mid-${name}.mark ../../rec/mid-${name}.gate }\nsleep 100000\n`,
        finish: ['-S2', RECORD_FINISH(`mid-${name}`)],
      };
  }
  return s;
}

function writeService(dir: string, shebang: string, svc: Service): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run'), `${shebang} -P\n${svc.run}`, { mode: 0o755 });
  if (svc.finish) writeFileSync(join(dir, 'finish'), `${shebang} ${svc.finish[0]}\n${svc.finish[1]}`, { mode: 0o755 });
  if (svc.notificationFd !== undefined) writeFileSync(join(dir, 'notification-fd'), `${svc.notificationFd}\n`);
  if (svc.down) writeFileSync(join(dir, 'down'), '');
  if (svc.log) {
    mkdirSync(join(dir, 'log'));
    writeFileSync(join(dir, 'log', 'run'), `${shebang} -P\n${svc.log}`, { mode: 0o755 });
  }
}

// ---------------------------------------------------------------------------------------------
// Driving one side

const svcDir = (side: Side, svc: string) => join(side.scan, svc);

async function svc(side: Side, opts: string, name: string): Promise<Ran> {
  return run(join(S6, 's6-svc'), [opts, svcDir(side, name)]);
}

async function svstat(side: Side, name: string, fields: string): Promise<string> {
  const r = await run(join(S6, 's6-svstat'), ['-o', fields, svcDir(side, name)]);
  return r.code === 0 ? r.stdout.trim() : `s6-svstat exit ${r.code}: ${r.stderr.trim()}`;
}

async function pidOf(side: Side, name: string): Promise<number> {
  return Number(await svstat(side, name, 'pid'));
}

/** s6-svwait with a bound; returns its exit code (99: timed out). */
async function svwait(side: Side, opt: string, name: string): Promise<number | null> {
  return (await run(join(S6, 's6-svwait'), [opt, '-t', String(WAIT), svcDir(side, name)])).code;
}

/** Waits until the supervised process runs the given program; returns its pid and last cmdline. */
async function finalProgram(side: Side, name: string, argv0: string): Promise<{ ok: boolean; pid: number; cmdline: string[] | null }> {
  const r = await waitFor(
    async () => {
      const pid = await pidOf(side, name);
      return { pid, cmdline: pid > 0 ? cmdline(pid) : null };
    },
    (v) => v.cmdline?.[0] === argv0,
  );
  return { ok: r.ok, ...r.value };
}

/** Paths of a side written as <side> / <top>, so both sides compare. */
function norm(side: Side, s: string): string {
  return s.split(side.dir).join('<side>').split(top).join('<top>');
}

/** The file a service writes, once it holds n lines (or what it holds at the bound). */
async function recordLines(side: Side, file: string, n: number): Promise<string[]> {
  const r = await waitFor(
    () => readText(join(side.rec, file)) ?? '',
    (t) => t.split('\n').length > n,
  );
  return r.value.split('\n').slice(0, -1);
}

/** Runs one observation on both sides at once; a side that throws gives its error as the value. */
async function onBoth<T>(observe: (side: Side) => Promise<T>): Promise<{ ours: T | string; ref: T | string; sides: Side[] }> {
  const [ours, ref] = await Promise.all(
    sides.map(async (s) => {
      try {
        return await observe(s);
      } catch (e) {
        return `error: ${(e as Error).stack ?? e}`;
      }
    }),
  );
  return { ours, ref, sides };
}

/** The reference gives the expected result (the test is right), and ours gives the reference's. */
function same<T>(r: { ours: T | string; ref: T | string }, expected: unknown, what: string): void {
  const tail = () => sides.map((s) => `--- ${s.name} tree output:\n${s.output.slice(-3000)}`).join('\n');
  expect(r.ref, `${what}: the reference\n${tail()}`).toEqual(expected);
  expect(r.ours, `${what}: ours differs from the reference\n${tail()}`).toEqual(r.ref);
}

// ---------------------------------------------------------------------------------------------
// Set-up and tear-down

function startSide(name: Side['name']): Side {
  const ref = name === 'reference';
  const dir = join(top, name);
  const side: Side = {
    name,
    dir,
    scan: join(dir, 'scan'),
    rec: join(dir, 'rec'),
    env: { PATH: ref ? `${REF_BIN}:/usr/bin:/bin` : `${join(top, 'bin')}:/usr/bin:/bin` },
    shebang: `#!${ref ? REF_BIN : join(top, 'bin')}/execlineb`,
    svscan: null,
    output: '',
  };
  sides.push(side);
  for (const d of [side.scan, side.rec, join(dir, 'log')]) mkdirSync(d, { recursive: true });
  for (const [n, s] of Object.entries(services())) writeService(join(side.scan, n), side.shebang, s);
  const cp = spawn(join(S6, 's6-svscan'), [side.scan], { env: side.env, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  side.svscan = cp;
  for (const st of [cp.stdout!, cp.stderr!]) {
    st.setEncoding('latin1');
    st.on('data', (d: string) => (side.output += d));
  }
  cp.on('error', (e) => (side.output += `s6-svscan: spawn error: ${e.message}\n`));
  return side;
}

/** Every service (and logger) of a side has its s6-supervise running. */
async function supervised(side: Side): Promise<void> {
  const names = Object.entries(services()).flatMap(([n, s]) => (s.log ? [n, `${n}/log`] : [n]));
  const r = await waitFor(
    async () => (await Promise.all(names.map(async (n) => ((await run(join(S6, 's6-svok'), [svcDir(side, n)])).code === 0 ? '' : n)))).filter(Boolean),
    (missing) => missing.length === 0,
  );
  if (!r.ok) throw new Error(`${side.name}: no s6-supervise for ${r.value.join(', ')}; output:\n${side.output}`);
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

/** Kills what is left of ours anywhere (orphaned block children, a Node left behind): their cmdline names the temp dir. */
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

beforeAll(async () => {
  if (!isRoot) return;
  top = mkdtempSync('/tmp/elts-supervision-');
  chmodSync(top, 0o755);
  prog = join(top, 'prog');
  mkdirSync(prog);
  for (const [n, t] of Object.entries(PROGS)) writeFileSync(join(prog, n), t, { mode: 0o644 });
  const inst = spawnSync(join(ROOT, 'bin/execline-ts'), ['install', '--node', NODE, join(top, 'bin')], { encoding: 'latin1', timeout: 20000 });
  if (inst.status !== 0 || !existsSync(join(top, 'bin', 'execlineb')))
    throw new Error(`execline-ts install failed (status ${inst.status}; is dist/ built?): ${inst.stderr}`);
  startSide('ours');
  startSide('reference');
  await Promise.all(sides.map(supervised));
}, 60000);

afterAll(async () => {
  try {
    await Promise.all(sides.map(stopSide));
  } finally {
    sweep();
    if (top) rmSync(top, { recursive: true, force: true });
  }
}, 60000);

// ---------------------------------------------------------------------------------------------
// The cases

describe.runIf(isRoot)('under s6-svscan: ours behaves as the reference execline', () => {
  it('readiness through a notification fd: s6-svwait -U returns and s6-svstat shows ready', async () => {
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      for (const name of ['notify', 'notify-block']) {
        const o: Record<string, unknown> = {};
        await svc(side, '-u', name);
        o.svwaitUp = await svwait(side, '-u', name);
        if (name === 'notify-block')
          o.blockRunning = (
            await waitFor(
              () => existsSync(join(side.rec, `${name}.mark`)),
              (x) => x,
            )
          ).ok;
        // nothing can notify before the gate opens
        o.beforeGate = await svstat(side, name, 'up,ready');
        writeFileSync(join(side.rec, `${name}.gate`), '');
        o.svwaitReady = await svwait(side, '-U', name);
        o.afterGate = await svstat(side, name, 'up,ready');
        const f = await finalProgram(side, name, 'sleep');
        o.final = f.cmdline;
        res[name] = o;
      }
      return res;
    });
    const want = { svwaitUp: 0, beforeGate: 'true false', svwaitReady: 0, afterGate: 'true true', final: ['sleep', '100000'] };
    same(r, { notify: want, 'notify-block': { ...want, blockRunning: true } }, 'readiness');
  }, 120000);

  it('finish gets the exit code and the signal: normal exits, s6-svc -k and -t', async () => {
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      await Promise.all(
        ['fin-exit', 'fin-prog', 'die-KILL', 'die-TERM'].map(async (name) => {
          const o: Record<string, unknown> = {};
          await svc(side, '-o', name);
          if (name.startsWith('die-')) {
            o.svwaitUp = await svwait(side, '-u', name);
            o.final = (await finalProgram(side, name, 'sleep')).cmdline;
            await svc(side, name === 'die-KILL' ? '-k' : '-t', name);
          }
          o.finish = await recordLines(side, `${name}.finish`, 1);
          // finish runs after the death, so s6-supervise has recorded it by now
          o.status = await svstat(side, name, 'up,exitcode,signal');
          res[name] = o;
        }),
      );
      return res;
    });
    same(
      r,
      {
        'fin-exit': { finish: ['3 0 fin-exit'], status: 'false 3 NA' },
        'fin-prog': { finish: ['42 0 fin-prog'], status: 'false 42 NA' },
        'die-KILL': { svwaitUp: 0, final: ['sleep', '100000'], finish: ['256 9 die-KILL'], status: 'false -1 SIGKILL' },
        'die-TERM': { svwaitUp: 0, final: ['sleep', '100000'], finish: ['256 15 die-TERM'], status: 'false -1 SIGTERM' },
      },
      'finish arguments',
    );
  }, 120000);

  it('signals sent with s6-svc -h -i -1 -2 -t reach the final program, which catches them', async () => {
    const r = await onBoth(async (side) => {
      await svc(side, '-o', 'sig');
      const up = await svwait(side, '-u', 'sig');
      // the program says it has set its traps
      const started = await recordLines(side, 'sig', 1);
      const pid = await pidOf(side, 'sig');
      const f = await finalProgram(side, 'sig', 'sh');
      const got: string[] = [];
      let n = 1;
      for (const opt of ['h', 'i', '1', '2', 't']) {
        await svc(side, `-${opt}`, 'sig');
        const lines = await recordLines(side, 'sig', ++n);
        if (lines.length < n) {
          got.push(`-${opt}: nothing recorded; supervised pid ${await pidOf(side, 'sig')} ${JSON.stringify(cmdline(pid))}`);
          break;
        }
        got.push(lines[n - 1].replace(` ${pid}`, ' (the supervised pid)'));
      }
      const status = (
        await waitFor(
          () => svstat(side, 'sig', 'up,exitcode'),
          (s) => s.startsWith('false'),
        )
      ).value;
      return {
        up,
        output: readText(join(side.rec, 'sig.out')),
        started: started.map((l) => l.replace(` ${pid}`, ' (the supervised pid)')),
        final: f.cmdline?.map((a) => norm(side, a)),
        got,
        status,
      };
    });
    same(
      r,
      {
        up: 0,
        // s6-supervise makes the service a session leader: s6-setsid cannot, and says so
        output: 's6-setsid: warning: unable to setsid: Operation not permitted\n',
        started: ['started (the supervised pid)'],
        final: ['sh', '<top>/prog/trap.sh', '../../rec/sig'],
        got: ['HUP', 'INT', 'USR1', 'USR2', 'TERM'].map((s) => `${s} (the supervised pid)`),
        status: 'false 0',
      },
      'trapped signals',
    );
  }, 120000);

  it('signals sent with s6-svc -h -i -1 -2 kill a final program that does not catch them', async () => {
    const opts = ['h', 'i', '1', '2'];
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      await Promise.all(
        opts.map(async (opt) => {
          const name = `die-${SIGS[opt][0]}`;
          await svc(side, '-o', name);
          const up = await svwait(side, '-u', name);
          const f = await finalProgram(side, name, 'sleep');
          await svc(side, `-${opt}`, name);
          const finish = await recordLines(side, `${name}.finish`, 1);
          const status = await svstat(side, name, 'up,signal');
          res[name] = { up, final: f.cmdline, finish, status };
        }),
      );
      return res;
    });
    const want: Record<string, unknown> = {};
    for (const opt of opts) {
      const [s, n] = SIGS[opt];
      want[`die-${s}`] = { up: 0, final: ['sleep', '100000'], finish: [`256 ${n} die-${s}`], status: `false SIG${s}` };
    }
    same(r, want, 'default actions');
  }, 120000);

  it('a signal sent while the run script waits for a foreground block kills it, as the C foreground', async () => {
    const opts = ['t', 'h', 'i', '1', '2'];
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      await Promise.all(
        opts.map(async (opt) => {
          const name = `mid-${SIGS[opt][0]}`;
          await svc(side, '-o', name);
          // the block runs, so the run script's process is waiting for it
          const blockRunning = (
            await waitFor(
              () => existsSync(join(side.rec, `${name}.mark`)),
              (x) => x,
            )
          ).ok;
          const pid = await pidOf(side, name);
          await svc(side, `-${opt}`, name);
          const finish = await recordLines(side, `${name}.finish`, 1);
          const o: Record<string, unknown> = { blockRunning, finish };
          if (finish.length === 0) o.stillUp = `${await svstat(side, name, 'up,pid')} ${JSON.stringify(cmdline(pid))}`;
          writeFileSync(join(side.rec, `${name}.gate`), ''); // lets the orphaned block end
          res[name] = o;
        }),
      );
      return res;
    });
    const want: Record<string, unknown> = {};
    for (const opt of opts) {
      const [s, n] = SIGS[opt];
      want[`mid-${s}`] = { blockRunning: true, finish: [`256 ${n} mid-${s}`] };
    }
    same(r, want, 'signals during a foreground block');
  }, 120000);

  it('s6-setuidgid and s6-envuidgid + s6-applyuidgid -U drop the supervised process to nobody', async () => {
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      for (const name of ['uid', 'uid2']) {
        await svc(side, '-u', name);
        const up = await svwait(side, '-u', name);
        const f = await finalProgram(side, name, 'sleep');
        res[name] = { up, final: f.cmdline, creds: creds(f.pid) };
      }
      return res;
    });
    const nobody = { up: 0, final: ['sleep', '100000'], creds: { Uid: '65534 65534 65534 65534', Gid: '65534 65534 65534 65534', Groups: '65534' } };
    same(r, { uid: nobody, uid2: nobody }, 'privilege drop');
  }, 120000);

  it("a logger: the service's stdout and stderr end up in s6-log's current file", async () => {
    const want = 'out: from a foreground block\nerr: to stderr\nout: from the final program\n';
    const r = await onBoth(async (side) => {
      await svc(side, '-u', 'logged');
      const up = await svwait(side, '-u', 'logged');
      const logUp = await svwait(side, '-u', 'logged/log');
      const f = await finalProgram(side, 'logged', 'sleep');
      const current = (
        await waitFor(
          () => readText(join(side.dir, 'log', 'current')) ?? '',
          (t) => t.length >= want.length,
        )
      ).value;
      const logger = await finalProgram(side, 'logged/log', 's6-log');
      return { up, logUp, final: f.cmdline, logger: logger.cmdline, current };
    });
    same(r, { up: 0, logUp: 0, final: ['sleep', '100000'], logger: ['s6-log', '-b', '../../../log'], current: want }, 'logger');
  }, 120000);

  it('the pid s6-supervise reports is the final program, alone under s6-supervise, with the same fds as the reference', async () => {
    // [service, the final program's argv[0], what may run under it]
    const cases: [string, string, (argv: string[]) => boolean][] = [
      ['notify', 'sleep', () => false],
      ['notify-block', 'sleep', () => false],
      ['uid', 'sleep', () => false],
      ['uid2', 'sleep', () => false],
      ['logged', 'sleep', () => false],
      ['logged/log', 's6-log', () => false],
      ['sig', 'sh', (a) => a[0] === 'sleep'], // its loop's sleep 0.05
    ];
    const r = await onBoth(async (side) => {
      const res: Record<string, unknown> = {};
      for (const [name, argv0, allowed] of cases) {
        if (name.includes('notify')) writeFileSync(join(side.rec, `${name}.gate`), '');
        await svc(side, '-u', name);
        const f = await finalProgram(side, name, argv0);
        const sup = stat(f.pid)?.ppid ?? -1;
        const below = descendantsOf(f.pid);
        res[name] = {
          final: f.ok,
          cmdline: f.cmdline?.map((a) => norm(side, a)),
          supervisor: cmdline(sup)?.[0],
          // s6-supervise's only child is the final program
          supervised: childrenOf(sup).map((p) => (p === f.pid ? 'the final program' : JSON.stringify(cmdline(p)))),
          // nothing of ours anywhere under s6-supervise, and nothing unexpected under the program
          oursInTree: [f.pid, ...below].filter(isOurs).map((p) => JSON.stringify(cmdline(p))),
          unexpected: below.map((p) => cmdline(p) ?? []).filter((a) => a.length > 0 && !allowed(a)),
          fds: fds(f.pid, side),
        };
      }
      return res;
    });
    const ref = typeof r.ref === 'string' ? {} : (r.ref as Record<string, { cmdline: unknown; fds: unknown }>);
    const want: Record<string, unknown> = {};
    for (const [name] of cases) {
      want[name] = {
        final: true,
        cmdline: ref[name]?.cmdline,
        supervisor: 's6-supervise',
        supervised: ['the final program'],
        oursInTree: [],
        unexpected: [],
        fds: ref[name]?.fds,
      };
    }
    same(r, want, 'process tree');
  }, 120000);
});

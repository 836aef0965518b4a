// Supervision workloads for bench/run.mjs: s6-svscan trees whose services' run scripts are
// execlineb -P scripts, ours on one side and the reference on the other, each side in a scan
// directory of its own under the bench's mkdtemp directory. Nothing here touches /run, /etc or
// /service. Every s6-svscan started is recorded and stopped by stopScans(), which run.mjs also
// calls on exit, on a signal and on failure: `s6-svscanctl -t`, then SIGKILL by pid for any
// process of that tree still there after a few seconds.
//
// The s6 tools that drive the trees (s6-svscan, s6-svc, s6-svwait, s6-svok) are the installed C
// ones for both sides, with the same environment: only the run scripts differ, by their `#!`
// line and by the PATH that their side's s6-svscan hands down to them.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const S6 = '/usr/bin';
const TIMEOUT_MS = 20000;
const toolEnv = { PATH: '/usr/bin:/bin' };
const PAGE = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout) || 4096;

/** A failure that run.mjs reports as one line and exit 1. */
export class BenchFailure extends Error {}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** State and start time of a process (start time tells a pid from a later reuse of it), or null. */
function procInfo(pid) {
  let s;
  try {
    s = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], start: rest[19] };
}

/** Children of a process, from its main thread's children file (all of these trees spawn from their main thread). */
function childrenOf(pid) {
  try {
    const t = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim();
    return t ? t.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/** Every process under pid, pid included, with its start time. */
function tree(pid) {
  const out = new Map();
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    const info = procInfo(p);
    if (!info || out.has(p)) continue;
    out.set(p, info.start);
    stack.push(...childrenOf(p));
  }
  return out;
}

const alive = (pid, start) => {
  const info = procInfo(pid);
  return info !== null && info.state !== 'Z' && info.start === start;
};

// ---------------------------------------------------------------------------------------------
// s6-svscan trees

const scans = new Set();

function startScan(side, scandir, log) {
  const logFd = openSync(log, 'a');
  const child = track(
    spawn(join(S6, 's6-svscan'), [scandir], {
      env: { PATH: side.PATH },
      stdio: ['ignore', logFd, logFd],
      detached: true,
    }),
  );
  closeSync(logFd);
  const scan = { side: side.name, scandir, log, child, pid: child.pid, start: procInfo(child.pid)?.start, known: new Map() };
  scans.add(scan);
  if (scan.pid === undefined) throw new BenchFailure(`${side.name}: s6-svscan did not start`);
  child.on('error', () => {});
  return scan;
}

/**
 * Stops every s6-svscan this file started, synchronously (it runs from an exit handler too):
 * s6-svscanctl -t, up to 5 s for the whole tree to go, then SIGKILL for whatever of it is left.
 * Returns the number of processes that had to be killed.
 */
export function stopScans() {
  let killed = 0;
  // A sampler continues the processes it stopped when it is told to end.
  for (const c of samplers)
    try {
      c.kill('SIGTERM');
    } catch {}
  samplers.clear();
  for (const scan of scans) {
    const all = new Map(scan.known);
    if (scan.start !== undefined) for (const [p, s] of tree(scan.pid)) all.set(p, s);
    if (scan.start !== undefined && alive(scan.pid, scan.start))
      spawnSync(join(S6, 's6-svscanctl'), ['-t', scan.scandir], { env: toolEnv, stdio: 'ignore', timeout: 3000 });
    const deadline = Date.now() + 5000;
    const left = () => [...all].filter(([p, s]) => alive(p, s));
    while (left().length && Date.now() < deadline) {
      // Pick up processes started meanwhile (a service being brought up when we stopped).
      if (scan.start !== undefined && alive(scan.pid, scan.start)) for (const [p, s] of tree(scan.pid)) all.set(p, s);
      sleepSync(20);
    }
    for (const [p] of left()) {
      try {
        process.kill(p, 'SIGKILL');
        killed++;
      } catch {}
    }
    scans.delete(scan);
  }
  return killed;
}

/**
 * stopScans(), then waits (3 s at most) until this process has reaped the s6-svscan and sampler
 * processes it started, so that none is left a zombie when it exits (PID 1 may not reap here).
 */
export async function stopScansAndReap() {
  stopScans();
  const deadline = Date.now() + 3000;
  while (unreaped.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Children of this process (s6-svscan, samplers) not reaped yet. */
const unreaped = new Set();
function track(child) {
  unreaped.add(child);
  child.on('exit', () => unreaped.delete(child));
  return child;
}

function prefixed(workload, e) {
  if (e instanceof BenchFailure) e.message = `${workload}: ${e.message}`;
  return e;
}

function stopAndCheck(label) {
  const killed = stopScans();
  if (killed) console.error(`bench: warning: ${label}: ${killed} process(es) of the s6 trees did not exit on s6-svscanctl -t and were killed`);
}

function lastLogLine(scan) {
  try {
    const lines = readFileSync(scan.log, 'utf8').trim().split('\n');
    return lines[lines.length - 1] ? `; last line of its log: ${lines[lines.length - 1].slice(0, 200)}` : '; its log is empty';
  } catch {
    return '';
  }
}

/** A service directory, created down, whose run script signals readiness on fd 3 and then sleeps. */
function makeService(dir, side) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run'), `#!${side.execlineb} -P\nfdmove -c 2 1\nimportas -D 8080 PORT PORT\n/bin/sh -c "echo >&3; exec sleep 1000"\n`);
  chmodSync(join(dir, 'run'), 0o755);
  writeFileSync(join(dir, 'notification-fd'), '3\n');
  writeFileSync(join(dir, 'down'), '');
}

/** Creates a scan directory of n services for a side and starts s6-svscan on it; waits until every service is supervised. */
function setUpSide(side, base, n) {
  const scandir = join(base, `scan-${side.name}`);
  mkdirSync(scandir, { recursive: true });
  const dirs = [];
  for (let i = 0; i < n; i++) {
    const d = join(scandir, `svc${i}`);
    makeService(d, side);
    dirs.push(d);
  }
  const scan = startScan(side, scandir, join(base, `scan-${side.name}.log`));
  const deadline = Date.now() + TIMEOUT_MS;
  let pending = dirs;
  while (pending.length) {
    if (!alive(scan.pid, scan.start)) throw new BenchFailure(`${side.name}: s6-svscan on ${scandir} exited${lastLogLine(scan)}`);
    pending = pending.filter((d) => spawnSync(join(S6, 's6-svok'), [d], { env: toolEnv, stdio: 'ignore' }).status !== 0);
    if (!pending.length) break;
    if (Date.now() > deadline) throw new BenchFailure(`${side.name}: ${pending.length} service(s) still unsupervised after ${TIMEOUT_MS / 1000} s`);
    sleepSync(20);
  }
  for (const [p, s] of tree(scan.pid)) scan.known.set(p, s);
  return { side, scan, dirs };
}

function svc(flags, dir, what, setup) {
  const r = spawnSync(join(S6, 's6-svc'), [...flags, '-T', String(TIMEOUT_MS), dir], {
    env: toolEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: TIMEOUT_MS + 5000,
  });
  if (r.status !== 0) {
    // s6-svc -w execs into s6-svlisten1, which exits 99 on its timeout (the page says 1).
    const timedOut = r.status === 99 || r.status === 1;
    const why = timedOut ? `not ${what} within ${TIMEOUT_MS / 1000} s` : `s6-svc ${flags.join(' ')} exited ${r.status ?? r.signal}`;
    throw new BenchFailure(`${setup.side.name}: service ${why}: ${String(r.stderr).trim().split('\n')[0]}${lastLogLine(setup.scan)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// s6-ready: time from the start of `s6-svc -wU -u DIR` to its exit (up and ready); then
// `s6-svc -wD -d DIR`, untimed. Sides alternate; one untimed cycle each first.

export function readyLatency(sides, base, n, median) {
  try {
    const setups = sides.map((side) => setUpSide(side, join(base, 'ready'), 1));
    const cycle = (s) => {
      const t0 = process.hrtime.bigint();
      svc(['-wU', '-u'], s.dirs[0], 'up and ready', s);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      svc(['-wD', '-d'], s.dirs[0], 'down', s);
      return ms;
    };
    for (const s of setups) cycle(s);
    const samples = setups.map(() => []);
    for (let i = 0; i < n; i++) for (const [k, s] of setups.entries()) samples[k].push(cycle(s));
    return samples.map(median);
  } catch (e) {
    throw prefixed('s6-ready', e);
  } finally {
    stopAndCheck('s6-ready');
  }
}

// ---------------------------------------------------------------------------------------------
// s6-boot: N services per side, all down; one boot is `s6-svc -u` on each (in parallel, from one
// sh) with `s6-svwait -U -a` on all of them started at the same moment, timed until both have
// exited; then all are brought down (`s6-svc -d` on each, `s6-svwait -D -a`), untimed.
//
// Memory: the sum over every process under that side's s6-svscan (s6-svscan, the s6-supervise
// processes, the services), sampled by bench/s6-sampler.mjs (its header says how) in boots of
// their own, after the timed ones and not timed, because sampling fast enough to see the peak
// slows a boot down:
// - Timers in this process could not do it: while 50 Node processes start on 2 CPUs, this
//   process is one runnable process among fifty, and its 2 ms timers fired 150 ms apart (800 ms
//   for the first). So the sampler is a process of its own, run under SCHED_FIFO (chrt -f 1) when
//   root, so that it is on a CPU when its timer fires; it paces itself (see its header). Without
//   chrt it runs at nice -20 (root) or as it is.
// - Even so, a boot whose RSS is sampled every 4 to 10 ms is some 10-15% (ours) to 20-30% (the
//   reference) slower than an unsampled one in the same run (the times of the RSS boots are
//   printed beside those of the timed ones), and PSS is worse: the kernel
//   walks each process's page tables under its mmap lock, so the sampler stops the tree with
//   SIGSTOP for each PSS snapshot. Hence: timed boots, unsampled; then RSS boots; then PSS boots.
// The sampler's cost, interval and the time of those boots are printed, for a check.

function run(cmd, argv) {
  return new Promise((resolve) => {
    const c = spawn(cmd, argv, { env: toolEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => {
      err += d;
    });
    c.on('error', (e) => resolve({ status: null, signal: null, err: String(e.message) }));
    c.on('close', (status, signal) => resolve({ status, signal, err }));
  });
}

const ALL_SVC = 'pids=; for d; do /usr/bin/s6-svc "$0" "$d" & pids="$pids $!"; done; rc=0; for p in $pids; do wait $p || rc=$?; done; exit $rc';

const samplers = new Set();
const REALTIME = process.getuid?.() === 0 && spawnSync('chrt', ['-f', '1', 'true']).status === 0;
const SAMPLER = join(dirname(fileURLToPath(import.meta.url)), 's6-sampler.mjs');

/** Starts the sampler on a tree; resolves once it is ready, to a function that stops it and resolves to its figures. */
function startSampler(pid, mode) {
  const argv = [process.execPath, SAMPLER, String(pid), mode, String(PAGE)];
  const c = track(spawn(REALTIME ? 'chrt' : argv[0], REALTIME ? ['-f', '1', ...argv] : argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }));
  samplers.add(c);
  if (!REALTIME && process.getuid?.() === 0)
    try {
      setPriority(c.pid, -20);
    } catch {}
  let out = '';
  let err = '';
  c.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise((resolve) => c.on('close', (status, signal) => resolve(status ?? signal)));
  const stop = async () => {
    c.stdin.end();
    const status = await exited;
    samplers.delete(c);
    const last = out.trim().split('\n').pop();
    if (status !== 0 || !last.startsWith('{')) throw new BenchFailure(`memory sampler exited ${status}: ${err.trim().split('\n')[0]}`);
    return JSON.parse(last);
  };
  return new Promise((resolve, reject) => {
    c.on('error', (e) => reject(new BenchFailure(`memory sampler: ${e.message}`)));
    c.stdout.on('data', (d) => {
      out += d;
      if (out.startsWith('ready\n')) resolve(stop);
    });
    exited.then((status) => reject(new BenchFailure(`memory sampler exited ${status} before sampling: ${err.trim().split('\n')[0]}`)));
  });
}

/** One boot and shutdown; mode is null (no sampling), 'rss' or 'pss'. */
async function boot(s, mode) {
  const stop = mode ? await startSampler(s.scan.pid, mode) : null;
  const t0 = process.hrtime.bigint();
  const [up, wait] = await Promise.all([
    run('/bin/sh', ['-c', ALL_SVC, '-u', ...s.dirs]),
    run(join(S6, 's6-svwait'), ['-U', '-a', '-t', String(TIMEOUT_MS), ...s.dirs]),
  ]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const sampler = stop ? await stop() : null;
  const name = s.side.name;
  if (up.status !== 0) throw new BenchFailure(`${name}: s6-svc -u failed (exit ${up.status ?? up.signal}): ${up.err.trim().split('\n')[0]}`);
  if (wait.status !== 0) {
    const why =
      wait.status === 99 ? `not all ${s.dirs.length} services up and ready within ${TIMEOUT_MS / 1000} s` : `s6-svwait -U exited ${wait.status ?? wait.signal}`;
    throw new BenchFailure(`${name}: ${why}: ${wait.err.trim().split('\n')[0]}${lastLogLine(s.scan)}`);
  }
  for (const [p, st] of tree(s.scan.pid)) s.scan.known.set(p, st);
  const down = await run('/bin/sh', ['-c', ALL_SVC, '-d', ...s.dirs]);
  if (down.status !== 0) throw new BenchFailure(`${name}: s6-svc -d failed (exit ${down.status ?? down.signal})`);
  const waitDown = await run(join(S6, 's6-svwait'), ['-D', '-a', '-t', String(TIMEOUT_MS), ...s.dirs]);
  if (waitDown.status !== 0)
    throw new BenchFailure(`${name}: not all services down within ${TIMEOUT_MS / 1000} s (s6-svwait -D exited ${waitDown.status ?? waitDown.signal})`);
  return { ms, sampler };
}

function report(name, what, rs) {
  const samples = rs.reduce((a, r) => a + r.sampler.samples, 0);
  const cost = rs.reduce((a, r) => a + r.sampler.cpu, 0);
  const span = rs.reduce((a, r) => a + r.sampler.span, 0);
  const snapshots = rs.reduce((a, r) => a + r.sampler.snapshots, 0);
  const partial = rs.reduce((a, r) => a + r.sampler.partial, 0);
  const mib = rs.map((r) => (r.sampler.peak / 2 ** 20).toFixed(0)).join(', ');
  const pss = what === 'RSS' ? '' : `, ${snapshots} PSS snapshots${partial ? ` (${partial} partial)` : ''}`;
  const ms = rs.map((r) => r.ms.toFixed(0)).join(', ');
  console.error(
    `  s6-boot: ${name}: ${what} boots (${ms} ms): ${samples} samples${pss}, ${(cost / samples).toFixed(2)} ms of CPU each, one every ${(span / samples).toFixed(1)} ms; peaks ${mib} MiB`,
  );
}

/**
 * Boots each side `runs` times, alternating, timed and not sampled; then `memRuns` times with
 * RSS sampled and `memRuns` times with PSS snapshots, not timed. Returns, per side, the medians
 * over the boots of the time, of the peak summed RSS and of the peak summed PSS (bytes; null if
 * memRuns is 0, and PSS null if smaps_rollup is unreadable).
 */
export async function bootTime(sides, base, n, runs, memRuns, median) {
  try {
    const setups = sides.map((side) => setUpSide(side, join(base, 'boot'), n));
    for (const s of setups) await boot(s, null);
    const res = { null: setups.map(() => []), rss: setups.map(() => []), pss: setups.map(() => []) };
    for (const [mode, count] of [
      [null, runs],
      ['rss', memRuns],
      ['pss', memRuns],
    ])
      for (let i = 0; i < count; i++) for (const [k, s] of setups.entries()) res[mode][k].push(await boot(s, mode));
    return setups.map((s, k) => {
      console.error(`  s6-boot: ${s.side.name}: boots ${res.null[k].map((r) => r.ms.toFixed(0)).join(', ')} ms`);
      if (memRuns) {
        report(s.side.name, 'RSS', res.rss[k]);
        report(s.side.name, 'PSS', res.pss[k]);
      }
      return {
        ms: median(res.null[k].map((r) => r.ms)),
        rss: memRuns ? median(res.rss[k].map((r) => r.sampler.peak)) : null,
        pss: memRuns && res.pss[k].every((r) => r.sampler.pssReadable) ? median(res.pss[k].map((r) => r.sampler.peak)) : null,
      };
    });
  } catch (e) {
    throw prefixed('s6-boot50', e);
  } finally {
    stopAndCheck('s6-boot');
  }
}

// Memory sampler for the s6-boot rows of bench/run.mjs (see bench/s6.mjs, which starts it): sums
// the memory of every process under a pid (an s6-svscan), again and again, and keeps the peak.
// Usage: node bench/s6-sampler.mjs PID rss|pss [PAGESIZE]
// It prints "ready" once set up, samples until its standard input closes, then prints one line
// of JSON: { peak (bytes), samples, snapshots (pss), partial (pss snapshots that left out
// processes not yet stopped), cpu (ms spent sampling), span (ms), pssReadable }.
//
// The tree is walked by the kernel's children lists (/proc/PID/task/PID/children; the processes
// here all spawn from their main thread).
// - rss: the sum of each process's statm. Those files and the children lists are read through
//   descriptors kept open from one sample to the next and read again at offset 0: one pread
//   each, about a tenth of what reading them by path costs. After a sample comes a pause of at
//   least 2 ms and at least 4 times the CPU time the sample took, so the sampler uses at most a
//   fifth of one CPU (a sample of a tree with 50 Node processes costs about a millisecond).
// - pss: RSS is sampled as above, and now and then a snapshot of the sum of each process's
//   smaps_rollup (which counts a page shared by n processes as 1/n) is taken as well. Reading it
//   makes the kernel walk the process's page tables under its mmap lock, some 2 ms for a Node
//   process, and it waits for the lock while the process maps memory, which a starting Node does
//   all the time: a sweep of 50 starting Node processes takes seconds and is no snapshot. So a
//   snapshot first stops every process below the s6-supervise level (SIGSTOP: a stopped process
//   holds no kernel lock), waits until they are stopped, reads them all and continues them
//   (SIGCONT); it is followed by a pause as long as it took. It still takes 50 to 700 ms when 50
//   Node processes are starting, so snapshots are few and are aimed at the peak (see sample()).
//   The boots sampled so are slowed down and not timed, but each snapshot is a state the boot
//   went through.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

const root = Number(process.argv[2]);
const mode = process.argv[3];
if (!(root > 0) || (mode !== 'rss' && mode !== 'pss')) {
  console.error('usage: s6-sampler.mjs PID rss|pss');
  process.exit(100);
}
const PAGE = Number(process.argv[4]) || 4096;
const buf = Buffer.alloc(1 << 16);
const open = new Map(); // pid -> { statm, children } descriptors

function pread(fd) {
  try {
    return buf.latin1Slice(0, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    return null;
  }
}

function close(pid) {
  const e = open.get(pid);
  if (!e) return;
  closeSync(e.statm);
  closeSync(e.children);
  open.delete(pid);
}

/** statm and children list of a process, from held descriptors (opened anew for a reused pid). */
function read(pid) {
  for (let attempt = 0; attempt < 2; attempt++) {
    let e = open.get(pid);
    if (!e) {
      let statm;
      try {
        statm = openSync(`/proc/${pid}/statm`, 'r');
      } catch {
        return null;
      }
      try {
        e = { statm, children: openSync(`/proc/${pid}/task/${pid}/children`, 'r') };
      } catch {
        closeSync(statm);
        return null;
      }
      open.set(pid, e);
    }
    const statm = pread(e.statm);
    const children = statm === null ? null : pread(e.children);
    if (statm && children !== null) return { statm, children };
    close(pid);
  }
  return null;
}

/** The tree under root: [pid, depth, statm] for each process. */
function walk() {
  const out = [];
  const stack = [[root, 0]];
  while (stack.length) {
    const [pid, depth] = stack.pop();
    const r = read(pid);
    if (!r) continue;
    out.push([pid, depth, r.statm]);
    const kids = r.children.trim();
    if (kids) for (const k of kids.split(' ')) stack.push([Number(k), depth + 1]);
  }
  const seen = new Set(out.map(([p]) => p));
  for (const pid of open.keys()) if (!seen.has(pid)) close(pid);
  return out;
}

let peak = 0;
let samples = 0;
let cpu = 0;
let pssReadable = true;
let frozen = [];
let partial = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));

function state(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s[s.lastIndexOf(')') + 2];
  } catch {
    return null;
  }
}

function thaw() {
  for (const pid of frozen)
    try {
      process.kill(pid, 'SIGCONT');
    } catch {}
  frozen = [];
}

/** Summed PSS of the tree, its processes below the s6-supervise level stopped meanwhile. */
function pssSnapshot(procs) {
  let sum = 0;
  try {
    // depth 0 is s6-svscan, 1 the s6-supervise processes, 2 and below the services. A second
    // walk stops those started meanwhile.
    for (let round = 0; round < 2; round++) {
      if (round) procs = walk();
      for (const [pid, depth] of procs)
        if (depth >= 2 && !frozen.includes(pid))
          try {
            process.kill(pid, 'SIGSTOP');
            frozen.push(pid);
          } catch {}
    }
    // A process stops on its way back to user space: one in the middle of an exec can take a
    // while. Those not stopped within 100 ms are left out of this sample (reading them would
    // wait for them), which can only make it smaller; such samples are counted as partial.
    const deadline = process.hrtime.bigint() + 100_000_000n;
    const running = new Set(frozen);
    while (running.size) {
      for (const pid of running) if (['T', 't', 'Z', 'X', null].includes(state(pid))) running.delete(pid);
      if (!running.size || process.hrtime.bigint() > deadline) break;
      Atomics.wait(pause, 0, 0, 1);
    }
    if (running.size) partial++;
    for (const [pid] of procs) {
      if (!pssReadable) break;
      if (running.has(pid)) continue;
      try {
        // By path every time: a descriptor kept open stays on the memory the process had when
        // it was opened, which an exec replaces.
        const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
        if (m) sum += Number(m[1]) * 1024;
      } catch (e) {
        if (e.code === 'EACCES' || e.code === 'EPERM') pssReadable = false;
      }
    }
  } finally {
    thaw();
  }
  return sum;
}

// In pss mode, RSS is sampled as in rss mode, and a PSS snapshot is taken when the RSS sum is 5%
// above what it was at the last snapshot, or is within 10% of its peak and no snapshot was
// taken for 250 ms: the snapshots go where the peak is, not spread over the whole boot.
let rssPeak = 0;
let rssAtSnapshot = -1;
let lastSnapshot = 0n;
let snapshots = 0;

/** One sample; returns the pause to take before the next one, in ms. */
function sample(last = false) {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const procs = walk();
  let rss = 0;
  for (const [, , statm] of procs) rss += Number(statm.split(' ')[1]) * PAGE;
  rssPeak = Math.max(rssPeak, rss);
  let wait;
  if (mode === 'rss') peak = rssPeak;
  else if (pssReadable && (last || rss > rssAtSnapshot * 1.05 || (rss >= rssPeak * 0.9 && w0 - lastSnapshot > 250_000_000n))) {
    peak = Math.max(peak, pssSnapshot(procs));
    rssAtSnapshot = rss;
    lastSnapshot = process.hrtime.bigint();
    snapshots++;
    wait = Number(lastSnapshot - w0) / 1e6;
  }
  samples++;
  const c = process.cpuUsage(c0);
  const spent = (c.user + c.system) / 1000;
  cpu += spent;
  return Math.max(2, wait ?? 4 * spent);
}

const t0 = process.hrtime.bigint();
let timer;
function loop() {
  timer = setTimeout(loop, sample());
}

function finish() {
  clearTimeout(timer);
  sample(true);
  const span = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ peak, samples, snapshots, partial, cpu, span, pssReadable })}\n`);
  process.exitCode = 0;
  process.stdin.destroy();
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(sig, () => {
    thaw();
    process.exit(1);
  });
process.stdout.write('ready\n');
loop();
process.stdin.on('end', finish);
process.stdin.resume();

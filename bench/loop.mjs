// Times a 500-iteration forx whose body is a block of execline commands, under ours and under
// the reference, alternating runs, median of 5; prints the ratio. The body is
// `foreground { eltest -n $x }` (s6-echo is not in Debian's packages, so the reference could not
// run it): with virtual children it must not start a Node process per iteration.
// Usage: node bench/loop.mjs [iterations] [runs]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 5);
const values = Array.from({ length: N }, (_, i) => String(i)).join(' ');

const sides = {
  ours: { execlineb: join(root, 'bin/execlineb'), PATH: `${join(root, 'bin')}:/usr/bin:/bin` },
  reference: { execlineb: '/usr/lib/execline/bin/execlineb', PATH: '/usr/lib/execline/bin:/usr/bin:/bin' },
};

const bodies = {
  'foreground { eltest -n $x }': `forx -E x { ${values} } foreground { eltest -n $x }`,
  'if { eltest -n $x } define y $x exit 0': `forx -E x { ${values} } if { eltest -n $x } define y $x exit 0`,
  'true (external)': `forx x { ${values} } true`,
};

function once(side, script) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(side.execlineb, ['-P', '-c', script], { env: { PATH: side.PATH }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${side.execlineb} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];

console.log(`forx over ${N} values, median of ${RUNS} alternating runs`);
for (const [label, script] of Object.entries(bodies)) {
  const t = { ours: [], reference: [] };
  for (let i = 0; i < RUNS; i++) {
    t.ours.push(once(sides.ours, script));
    t.reference.push(once(sides.reference, script));
  }
  const o = median(t.ours);
  const r = median(t.reference);
  console.log(`${label.padEnd(42)} ours ${o.toFixed(1).padStart(8)} ms   reference ${r.toFixed(1).padStart(8)} ms   ratio ${(o / r).toFixed(2)}`);
}

// A longer fuzz run: npx vite-node conformance/fuzz/cli.ts [--count N] [--seed S] [--kind lex|subst|both]
// Every divergence is appended to conformance/fuzz/found.json, which the test suite replays.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, lexScript, substScript } from './generate.js';
import { fuzz, type FuzzCase } from './runner.js';

const a = process.argv.slice(2);
const opt = (k: string, d: string) => (a.includes(k) ? a[a.indexOf(k) + 1] : d);
const count = Number(opt('--count', '100000'));
const seed = Number(opt('--seed', String(Date.now() % 1e9)));
const kind = opt('--kind', 'both');

function* cases(): Generator<FuzzCase> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const lex = kind === 'lex' || (kind === 'both' && i % 2 === 0);
    yield lex ? { script: lexScript(r), args: [], env: {} } : substScript(r);
  }
}

const t0 = Date.now();
const r = await fuzz(cases());
const file = join(fileURLToPath(new URL('.', import.meta.url)), 'found.json');
const found = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
for (const d of r.divergences)
  found.push({ script64: Buffer.from(d.case.script, 'latin1').toString('base64'), args: d.case.args, env: d.case.env, ours: d.ours, ref: d.ref });
if (r.divergences.length) writeFileSync(file, JSON.stringify(found, null, 1) + '\n');
console.log(
  `seed ${seed}: ${r.tried} scripts in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${r.divergences.length} divergences, ${r.crashed} crashed the reference`,
);
for (const d of r.divergences.slice(0, 10)) console.log(JSON.stringify(d.case), '\n  ours', JSON.stringify(d.ours), '\n  ref ', JSON.stringify(d.ref));

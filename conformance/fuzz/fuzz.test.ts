// The bounded differential fuzz run of CI: seeded, so any failure replays. A longer run is one
// command away: `npx vite-node conformance/fuzz/cli.ts --count 200000 --seed N`.
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, lexScript, substScript } from './generate.js';
import { fuzz, type FuzzCase } from './runner.js';

const COUNT = Number(process.env.FUZZ_COUNT ?? 10000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

function* lexCases(n: number, seed: number): Generator<FuzzCase> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) yield { script: lexScript(r), args: [], env: {} };
}
function* substCases(n: number, seed: number): Generator<FuzzCase> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) yield substScript(r);
}

const report = (d: Awaited<ReturnType<typeof fuzz>>['divergences']) =>
  d
    .slice(0, 5)
    .map((x) => `${JSON.stringify(x.case)}\n  ours ${JSON.stringify(x.ours)}\n  ref  ${JSON.stringify(x.ref)}`)
    .join('\n');

describe('differential fuzzing against the reference', () => {
  it(`scanner: ${COUNT} random scripts, seed ${SEED}`, async () => {
    const r = await fuzz(lexCases(COUNT, SEED));
    expect(r.tried).toBe(COUNT);
    expect(report(r.divergences)).toBe('');
  }, 600_000);

  it(`substitution: ${COUNT} random scripts, seed ${SEED}`, async () => {
    const r = await fuzz(substCases(COUNT, SEED + 1));
    expect(r.tried).toBe(COUNT);
    expect(report(r.divergences)).toBe('');
  }, 600_000);

  const foundFile = join(fileURLToPath(new URL('.', import.meta.url)), 'found.json');
  it('replays every divergence found so far', async () => {
    const found: FuzzCase[] = existsSync(foundFile)
      ? JSON.parse(readFileSync(foundFile, 'utf8')).map((c: FuzzCase & { script64?: string }) => ({
          ...c,
          script: Buffer.from(c.script64!, 'base64').toString('latin1'),
        }))
      : [];
    const r = await fuzz(found);
    expect(report(r.divergences)).toBe('');
  }, 600_000);
});

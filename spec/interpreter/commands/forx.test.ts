// forx, what only ours can show: -p bodies really run at the same time, and -P (which the
// reference lacks) is checked against its documented meaning, at most maxpar bodies at once.
// Everything else forx does is compared with the reference in conformance/cases/forx.json and
// loops.json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, runScriptAsync } from '../../helpers.js';

const EXIT = 'sh -c "echo $x; exit $x"';

describe('forx', () => {
  it('runs -p bodies concurrently', async () => {
    const t0 = Date.now();
    const r = await runScriptAsync('forx -p x { 1 2 3 4 } sleep 1');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('-P maxpar runs at most maxpar bodies at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forx-P-'));
    // Each running body holds one marker file (made and removed atomically) and records how
    // many it sees: the count is the number of bodies running at that moment.
    const body = `sh -c "f=$(mktemp ${dir}/run.XXXXXX); ls ${dir} | grep -c ^run >> ${dir}/seen; sleep 0.3; rm -f $f"`;
    const r = await runScriptAsync(`forx -P 2 x { 1 2 3 4 5 6 } ${body}`);
    expect(r.status).toBe(0);
    const seen = readFileSync(join(dir, 'seen'), 'latin1').trim().split('\n').map(Number);
    expect(seen.length).toBe(6);
    expect(Math.max(...seen)).toBe(2);
  });

  it('-P 1 and -P 0 are sequential, with the break codes of the sequential loop', () => {
    expect(runScript(`forx -P 1 -o 0 x { 0 3 4 } ${EXIT}`).stdout).toBe('0\n3\n');
    expect(runScript(`forx -P 0 -o 0 x { 0 3 4 } ${EXIT}`).status).toBe(3);
  });

  it('-P N with -o reports 1 if a body failed, as -p does', () => {
    const r = runScript(`forx -P 2 -o 0 x { 0 3 0 } sh -c "exit $x"`);
    expect(r.status).toBe(1);
    expect(runScript(`forx -P 2 -o 0,3 x { 0 3 0 } sh -c "exit $x"`).status).toBe(0);
  });
});
